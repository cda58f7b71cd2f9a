//! `newsdesk train ner` reproduces the shipped model bit for bit from the shared data.
//!
//! The model file is zlib-compressed, and the compressed bytes depend on the deflate
//! implementation the build links (miniz_oxide or zlib-rs), not on the model: the model is
//! what the file holds once inflated.

mod common;

use common::{repo_root, shared};

#[test]
fn training_reproduces_the_committed_model() {
    let Some(data) = shared(
        "training_reproduces_the_committed_model",
        "data/ner-conll2003",
    ) else {
        return;
    };
    let data = data.parent().unwrap().to_path_buf();
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("ner.bin");
    let run = std::process::Command::new(env!("CARGO_BIN_EXE_newsdesk"))
        .args([
            "train",
            "ner",
            "--data",
            data.to_str().unwrap(),
            "--out",
            out.to_str().unwrap(),
        ])
        .output()
        .unwrap();
    assert!(
        run.status.success(),
        "{}",
        String::from_utf8_lossy(&run.stderr)
    );
    let inflate = |path: &std::path::Path| -> Vec<u8> {
        use std::io::Read;
        let mut out = Vec::new();
        flate2::read::ZlibDecoder::new(std::fs::File::open(path).unwrap())
            .read_to_end(&mut out)
            .unwrap();
        out
    };
    let trained = inflate(&out);
    let shipped = inflate(&repo_root().join("crates/annotate/model/ner.bin"));
    assert!(
        trained == shipped,
        "retrained model differs from crates/annotate/model/ner.bin"
    );
}
