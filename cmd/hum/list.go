package main

import (
	"context"
	"errors"
	"io"
)

// listSubscribe is `hum list subscribe LIST EMAIL`, for the secretariat.
func listSubscribe(ctx context.Context, args []string, out io.Writer) error {
	return errors.New("hum list subscribe: not built yet")
}
