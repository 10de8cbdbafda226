import ComproCLI

/// Runs the command line. Inside an `async` function the asynchronous `main()` of
/// AsyncParsableCommand is chosen; at the top level of main.swift the synchronous one of
/// ParsableCommand would be, and it cannot run async subcommands (theme preview serves).
func runKoniCompro() async {
    await KoniCompro.main()
}

await runKoniCompro()
