import MediaService

// `media-service`: the command (settings, logging, graceful shutdown) is MediaServiceCommand.
await MediaServiceCommand.runFromCommandLine()
