//! Prints PolNeAR scores: `cargo run --release -p newsdesk-quotes --example eval -- [ROOT] [SPLIT]`.
use std::path::PathBuf;

fn main() {
    let mut args = std::env::args().skip(1);
    let root = args.next().map(PathBuf::from).unwrap_or_else(|| {
        PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../../shared/data/quotes-polnear")
    });
    let split = args.next().unwrap_or_else(|| "dev".into());
    match newsdesk_quotes::eval_polnear_split(&root, &split) {
        Ok(r) => println!("{r}"),
        Err(e) => {
            eprintln!("error: {e}");
            std::process::exit(1);
        }
    }
}
