package export

// storeLimits sets how much a chunk of a stored dump holds and how many
// chunks a transaction writes, until the test ends.
func storeLimits(cleanup func(func()), chunk, perTx int) {
	c, p := chunkSize, txChunks
	chunkSize, txChunks = chunk, perTx
	cleanup(func() { chunkSize, txChunks = c, p })
}

// StoreLimits is storeLimits for the package's external tests.
var StoreLimits = storeLimits
