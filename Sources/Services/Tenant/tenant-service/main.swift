import TenantService

// `tenant-service`: the command (settings, logging, graceful shutdown) is TenantServiceCommand.
await TenantServiceCommand.runFromCommandLine()
