//! Human-readable output.

use std::io::{self, Write};

use newsdesk_span::{Document, Field, Meta};
use newsdesk_store::Summary;

fn or_dash<T: ToString>(field: &Option<Field<T>>) -> String {
    field
        .as_ref()
        .map_or("-".to_string(), |f| f.value.to_string())
}

fn clip(s: &str, max: usize) -> String {
    if s.chars().count() <= max {
        s.to_string()
    } else {
        format!("{}…", s.chars().take(max - 1).collect::<String>())
    }
}

fn outlet_cell(meta: &Meta) -> String {
    match &meta.republisher {
        Some(r) => format!("{} (via {})", or_dash(&meta.outlet), r.value),
        None => or_dash(&meta.outlet),
    }
}

fn row(out: &mut dyn Write, id: &str, meta: &Meta) -> io::Result<()> {
    let published = meta
        .published
        .as_ref()
        .map_or("-".to_string(), |p| p.value.date().to_string());
    writeln!(
        out,
        "{:<16}  {:<10}  {:<34}  {}",
        id,
        published,
        clip(&outlet_cell(meta), 34),
        clip(&or_dash(&meta.title), 70)
    )
}

fn header(out: &mut dyn Write) -> io::Result<()> {
    writeln!(
        out,
        "{:<16}  {:<10}  {:<34}  TITLE",
        "ID", "PUBLISHED", "OUTLET"
    )
}

pub fn articles(out: &mut dyn Write, list: &[Summary]) -> io::Result<()> {
    header(out)?;
    for s in list {
        row(out, s.id.as_str(), &s.meta)?;
    }
    Ok(())
}

pub fn analyze(out: &mut dyn Write, docs: &[Document]) -> io::Result<()> {
    writeln!(out, "{} articles\n", docs.len())?;
    header(out)?;
    for doc in docs {
        row(out, doc.id().as_str(), &doc.meta)?;
    }
    Ok(())
}

pub fn article(out: &mut dyn Write, doc: &Document) -> io::Result<()> {
    let m = &doc.meta;
    writeln!(out, "id          {}", doc.id())?;
    writeln!(out, "source      {}", doc.source)?;
    if let Some(url) = &m.url {
        writeln!(out, "url         {url}")?;
    }
    for (name, field) in [
        ("title", &m.title),
        ("byline", &m.byline),
        ("outlet", &m.outlet),
        ("republisher", &m.republisher),
        ("language", &m.language),
    ] {
        if let Some(f) = field {
            writeln!(out, "{name:<11} {}  [{}]", f.value, f.source)?;
        }
    }
    match &m.published {
        Some(p) => writeln!(out, "published   {}  [{}]", p.value, p.source)?,
        None => writeln!(out, "published   unknown")?,
    }
    writeln!(out, "chars       {}\n", doc.chars())?;
    writeln!(out, "{}", doc.text())
}
