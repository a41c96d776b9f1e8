#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| clause::build::fuzz::markdown(data));
