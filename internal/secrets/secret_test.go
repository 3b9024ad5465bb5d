package secrets

import "testing"

func TestNew(t *testing.T) {
	a, ha := New()
	b, hb := New()
	if a == b || ha == hb {
		t.Fatal("two secrets are equal")
	}
	if len(a) != 32 || Hash(a) != ha || len(ha) != 64 {
		t.Errorf("secret %q (%d), hash %q", a, len(a), ha)
	}
	// A known vector, so the stored form never changes by accident.
	if got := Hash("abc"); got != "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad" {
		t.Errorf("Hash(abc) = %s", got)
	}
}

func TestNewForAddress(t *testing.T) {
	s, h := NewForAddress()
	for _, r := range s {
		if !(r >= 'a' && r <= 'z' || r >= '2' && r <= '7') {
			t.Fatalf("%q has %q, which an address may fold or forbid", s, r)
		}
	}
	if len(s) != 32 || Hash(s) != h {
		t.Errorf("secret %q, hash %q", s, h)
	}
}
