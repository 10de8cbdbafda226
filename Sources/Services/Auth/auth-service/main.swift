import AuthService

// `auth-service`: the commands (serve, keys) are AuthServiceCommand.
await AuthServiceCommand.runFromCommandLine()
