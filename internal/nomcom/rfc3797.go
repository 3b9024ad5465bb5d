package nomcom

import (
	"crypto/md5"
	"encoding/binary"
	"fmt"
	"math/big"
	"slices"
	"strings"
	"unicode"

	"golang.org/x/text/unicode/norm"
)

// RFC 3797 §4, "A Suggested Precise Algorithm": the random sources'
// values are canonicalised and joined into a key; the i-th derived value
// is the MD5 of the key between two copies of i as a two-byte big-endian
// counter, read as a 128-bit big-endian integer; the first value modulo
// the pool's size N, plus one, is the position of the first person
// chosen in the published list, the second modulo N-1 the position among
// those left, and so on. Anyone holding the published list and the
// sources' values can run it again and get the same order (RFC 3797 §2.3).

// CanonicalSource is one source's value in RFC 3797 §4's canonical form,
// with its "/" suffix. A value of numbers (separated by spaces or
// commas) gives each number in decimal without leading zeroes (one zero
// before the point of a number under one), whole numbers with a
// terminating period and fractions with the period between the whole
// and the fractional part and no trailing zeroes, ordered from the
// smallest to the largest: "2, 5, 12, 8, 10" is "2.5.8.10.12./". Any
// other value is alphanumeric: its white space, punctuation, accents and
// special characters are removed and its letters set to upper case,
// leaving only 0-9 and A-Z ("Mažňák" is "MAZNAK/").
func CanonicalSource(value string) (string, error) {
	fields := strings.FieldsFunc(value, func(r rune) bool { return unicode.IsSpace(r) || r == ',' })
	if len(fields) == 0 {
		return "", fmt.Errorf("the value is empty")
	}
	type number struct {
		text string
		v    *big.Rat
	}
	var nums []number
	for _, f := range fields {
		text, v, ok := canonicalNumber(f)
		if !ok {
			nums = nil
			break
		}
		nums = append(nums, number{text, v})
	}
	if nums != nil {
		slices.SortStableFunc(nums, func(a, b number) int { return a.v.Cmp(b.v) })
		var b strings.Builder
		for _, n := range nums {
			b.WriteString(n.text)
		}
		return b.String() + "/", nil
	}
	var b strings.Builder
	for _, r := range norm.NFKD.String(value) {
		r = unicode.ToUpper(r)
		if (r >= '0' && r <= '9') || (r >= 'A' && r <= 'Z') {
			b.WriteRune(r)
		}
	}
	if b.Len() == 0 {
		return "", fmt.Errorf("%q holds no digit or letter", value)
	}
	return b.String() + "/", nil
}

// canonicalNumber reads a non-negative decimal number, and writes it as
// RFC 3797 §4 asks: "12" is "12.", "007" is "7.", "0.50" is "0.5", "3.0"
// is "3.".
func canonicalNumber(s string) (string, *big.Rat, bool) {
	whole, frac, hasPoint := strings.Cut(s, ".")
	if whole == "" && hasPoint {
		whole = "0"
	}
	if whole == "" || !digits(whole) || (hasPoint && frac != "" && !digits(frac)) {
		return "", nil, false
	}
	whole = strings.TrimLeft(whole, "0")
	if whole == "" {
		whole = "0"
	}
	frac = strings.TrimRight(frac, "0")
	text := whole + "."
	if frac != "" {
		text = whole + "." + frac
	}
	v, ok := new(big.Rat).SetString(whole + "." + frac + "0")
	return text, v, ok
}

func digits(s string) bool {
	for _, r := range s {
		if r < '0' || r > '9' {
			return false
		}
	}
	return s != ""
}

// Key joins the sources' values, each canonicalised, in the order the
// sources were announced: RFC 3797 §4's "s1/s2/.../".
func Key(values []string) (string, error) {
	var b strings.Builder
	for i, v := range values {
		c, err := CanonicalSource(v)
		if err != nil {
			return "", fmt.Errorf("source %d: %w", i+1, err)
		}
		b.WriteString(c)
	}
	if b.Len() == 0 {
		return "", fmt.Errorf("there are no sources")
	}
	return b.String(), nil
}

// Digest is the i-th derived value of RFC 3797 §4 (i counts from 0): the
// MD5 hash of the key prefixed and suffixed by i as a two-byte
// big-endian counter.
func Digest(key string, i int) [16]byte {
	var c [2]byte
	binary.BigEndian.PutUint16(c[:], uint16(i))
	b := make([]byte, 0, len(key)+4)
	b = append(append(append(b, c[:]...), key...), c[:]...)
	return md5.Sum(b)
}

// MaxPool is the largest pool the two-byte counter can draw from whole.
const MaxPool = 1 << 16

// Draw is one step of the selection: the derived value, the number of
// people left it divides, the remainder, and the person chosen, by their
// position (from 1) in the published list.
type Draw struct {
	Step      int      // from 1
	Digest    [16]byte // the derived value
	Left      int      // the divisor: how many were still in the pool
	Remainder int
	Position  int // in the published list, from 1
}

// Hex is the derived value in upper-case hexadecimal, as RFC 3797 §6
// prints it.
func (d Draw) Hex() string { return fmt.Sprintf("%X", d.Digest[:]) }

// Drawer draws from a pool of N one person at a time, in RFC 3797's
// order.
type Drawer struct {
	key  string
	left []int // positions still in the pool, in list order
	step int
}

// NewDrawer starts drawing from a pool of n with key.
func NewDrawer(key string, n int) (*Drawer, error) {
	if n <= 0 || n > MaxPool {
		return nil, fmt.Errorf("a pool of %d cannot be drawn from (1 to %d)", n, MaxPool)
	}
	d := &Drawer{key: key, left: make([]int, n)}
	for i := range d.left {
		d.left[i] = i + 1
	}
	return d, nil
}

// Next draws the next person; ok is false when the pool is empty.
func (d *Drawer) Next() (Draw, bool) {
	if len(d.left) == 0 {
		return Draw{}, false
	}
	h := Digest(d.key, d.step)
	n := len(d.left)
	r := int(new(big.Int).Mod(new(big.Int).SetBytes(h[:]), big.NewInt(int64(n))).Int64())
	pos := d.left[r]
	d.left = slices.Delete(d.left, r, r+1)
	d.step++
	return Draw{Step: d.step, Digest: h, Left: n, Remainder: r, Position: pos}, true
}

// Order draws the whole pool of n: every position in RFC 3797's order.
func Order(key string, n int) ([]Draw, error) {
	d, err := NewDrawer(key, n)
	if err != nil {
		return nil, err
	}
	out := make([]Draw, 0, n)
	for {
		x, ok := d.Next()
		if !ok {
			return out, nil
		}
		out = append(out, x)
	}
}
