fn main() {
    let path = std::env::args().nth(1).unwrap();
    match callsearch::parse::parse_file(std::path::Path::new(&path)) {
        Ok(t) => println!("{}", serde_json::to_string_pretty(&t).unwrap()),
        Err(e) => eprintln!("{path}: {e}"),
    }
}
