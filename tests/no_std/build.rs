fn main() {
    // No C runtime start files: the binary provides `_start` itself.
    println!("cargo:rustc-link-arg-bins=-nostartfiles");
    // memcpy/memset/memcmp come from the C library (no Rust std is linked).
    println!("cargo:rustc-link-arg-bins=-lc");
}
