//! Metamorphic relations (issue 14, item 9): pairs or ladders of ensembles on common seeds whose
//! results must relate in a known way, whatever the exact figures. Placeholder doc; see
//! docs/metamorphic.md.

mod doctrine;
mod forces;
pub mod harness;
mod identity;
mod invariance;
mod raqqa;
