//! Integration tests: each runs the real `clause` binary on a small fixture
//! site copied into a temporary folder, and checks exit codes, error text and
//! the built HTML (parsed with a real HTML parser).

mod harness;

mod anchors;
mod archive;
mod build;
mod commands;
mod corpus;
mod deploy;
mod errors;
mod escaping;
mod fuzz_corpus;
mod history;
mod hostile;
mod import_git;
mod incremental;
mod init;
mod layers;
mod links;
mod new;
mod output;
mod publish;
mod redlines;
mod repository;
mod serve;
mod themes;
mod translations;
mod variables;
mod watch;
