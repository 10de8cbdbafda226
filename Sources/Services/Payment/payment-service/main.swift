import PaymentService

await PaymentServiceCommand.runFromCommandLine()
