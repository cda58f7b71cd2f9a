//! Lets the crate compile before a model has been trained: the embedded
//! model is only referenced when `model/ner.bin` exists.

use std::path::Path;

fn main() {
    println!("cargo:rerun-if-changed=model/ner.bin");
    println!("cargo::rustc-check-cfg=cfg(newsdesk_has_model)");
    let manifest = std::env::var("CARGO_MANIFEST_DIR").expect("cargo sets CARGO_MANIFEST_DIR");
    if Path::new(&manifest).join("model/ner.bin").exists() {
        println!("cargo:rustc-cfg=newsdesk_has_model");
    }
}
