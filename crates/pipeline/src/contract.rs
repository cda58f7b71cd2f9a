use newsdesk_span::{Document, LayerName, Layers};
use xxhash_rust::xxh3::xxh3_64;

use crate::Stage;

#[derive(Debug, thiserror::Error)]
pub enum ContractError {
    #[error("layer {layer}: span {start}..{end} is invalid: {reason}")]
    BadSpan {
        layer: LayerName,
        start: usize,
        end: usize,
        reason: String,
    },
    #[error("layer {0} is not sorted")]
    Unsorted(LayerName),
    #[error("the document text changed")]
    TextChanged,
    #[error("wrote layer {0}, which it does not declare")]
    Undeclared(LayerName),
}

/// Runs `stage` on `doc` after `input` and checks the stage contract; returns the new layers.
pub fn check_contract(
    stage: &dyn Stage,
    doc: &Document,
    input: &Layers,
) -> Result<Layers, ContractError> {
    let before = xxh3_64(doc.text().as_bytes());
    let mut layers = input.clone();
    stage.run(doc, &mut layers);
    if xxh3_64(doc.text().as_bytes()) != before {
        return Err(ContractError::TextChanged);
    }
    for name in LayerName::ALL {
        let declared = stage.assigns().contains(&name);
        if !declared {
            if layers.spans(name) != input.spans(name) {
                return Err(ContractError::Undeclared(name));
            }
            continue;
        }
        for span in layers.spans(name) {
            if let Err(e) = span.check(doc.text()) {
                return Err(ContractError::BadSpan {
                    layer: name,
                    start: span.start(),
                    end: span.end(),
                    reason: e.to_string(),
                });
            }
        }
        let primary = layers.primary_spans(name);
        if primary.windows(2).any(|w| w[0] > w[1]) {
            return Err(ContractError::Unsorted(name));
        }
    }
    Ok(layers)
}
