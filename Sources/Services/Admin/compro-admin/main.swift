import ComproAdmin

// `compro-admin`: the command (settings, logging, graceful shutdown) is AdminServiceCommand.
await AdminServiceCommand.runFromCommandLine()
