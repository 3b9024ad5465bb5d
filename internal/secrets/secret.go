// Package secrets makes the random secrets that mailed links and API keys
// carry. Only a secret's SHA-256 is ever stored, so a copy of the database
// does not let anyone follow a link or use a key.
package secrets

import (
	"crypto/rand"
	"crypto/sha256"
	"encoding/base32"
	"encoding/base64"
	"encoding/hex"
	"strings"
)

// New returns a URL-safe random secret (192 bits) and its hash.
func New() (secret, hash string) {
	b := make([]byte, 24)
	rand.Read(b)
	secret = base64.RawURLEncoding.EncodeToString(b)
	return secret, Hash(secret)
}

// Hash is what the database keeps of a secret: its SHA-256, in hex.
func Hash(secret string) string {
	h := sha256.Sum256([]byte(secret))
	return hex.EncodeToString(h[:])
}

// NewForAddress returns a secret that can stand in an email address
// (list-confirm+SECRET@...): lower-case base32 (160 bits), since mail
// systems may fold the case of a local part.
func NewForAddress() (secret, hash string) {
	b := make([]byte, 20)
	rand.Read(b)
	secret = strings.ToLower(base32.StdEncoding.WithPadding(base32.NoPadding).EncodeToString(b))
	return secret, Hash(secret)
}
