package web

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"testing"

	"hum/internal/db/dbtest"
	"hum/internal/demo"
	"hum/internal/testbody"
)

// benchServer serves the demo standards body in-process.
func benchServer(b *testing.B) http.Handler {
	body := testbody.New(b, dbtest.New(b))
	if _, err := demo.Load(context.Background(), body.DB, body.People, body.Groups); err != nil {
		b.Fatal(err)
	}
	return newServer(b, Config{DB: body.DB, People: body.People, Groups: body.Groups, Log: slog.New(slog.NewTextHandler(io.Discard, nil))}).Handler()
}

func benchGet(b *testing.B, path string) {
	h := benchServer(b)
	b.ReportAllocs()
	b.ResetTimer()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			w := httptest.NewRecorder()
			h.ServeHTTP(w, httptest.NewRequest("GET", path, nil))
			if w.Code != 200 {
				b.Fatalf("%s: %d", path, w.Code)
			}
		}
	})
}

// The figures the foundation issue names: the group page and the API.
func BenchmarkGroupAbout(b *testing.B) { benchGet(b, "/group/httpbis/about/") }
func BenchmarkAPIGroup(b *testing.B)   { benchGet(b, "/api/v1/group/group/?acronym=httpbis") }
func BenchmarkWGList(b *testing.B)     { benchGet(b, "/wg/") }
