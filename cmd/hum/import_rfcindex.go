package main

import (
	"context"
	"errors"
	"io"
)

// importRFCIndex is `hum import rfc-index FILE`.
func importRFCIndex(ctx context.Context, args []string, out io.Writer) error {
	return errors.New("hum import rfc-index: not built yet")
}
