package nomcom

import (
	"testing"

	"github.com/google/go-cmp/cmp"
)

// rfc3797Pool is the pool of RFC 3797 §6, "Fully Worked Example": 25
// eligible volunteers, listed in this order before the selection.
var rfc3797Pool = []string{
	"John", "Mary", "Bashful", "Dopey", "Sleepy", "Grouchy", "Doc", "Sneazy", "Handsome", "Cassandra",
	"Pollyanna", "Pendragon", "Pandora", "Faith", "Hope", "Charity", "Lee", "Longsuffering", "Chastity", "Smith",
	"Pride", "Sloth", "Envy", "Anger", "Kasczynski",
}

// TestRFC3797WorkedExample reproduces RFC 3797 §6. Its three sources are
// a lottery's single four-digit number (9319), another lottery's five
// numbers in the order drawn (2 5 12 8 10) and a third's six (9 18 26 34
// 41 45); the key is "9319./2.5.8.10.12./9.18.26.34.41.45./". The
// derived values, the remainders and the ten people selected are the
// ones §6's table prints (the same values are what independent
// implementations test against, e.g. Algorithm::Voting::Sortition and
// votelib, whose tests quote the table).
func TestRFC3797WorkedExample(t *testing.T) {
	key, err := Key([]string{"9319", "2 5 12 8 10", "9, 18, 26, 34, 41, 45"})
	if err != nil {
		t.Fatal(err)
	}
	if want := "9319./2.5.8.10.12./9.18.26.34.41.45./"; key != want {
		t.Fatalf("key %q, want %q", key, want)
	}
	draws, err := Order(key, len(rfc3797Pool))
	if err != nil {
		t.Fatal(err)
	}
	wantHex := []string{
		"990DD0A5692A029A98B5E01AA28F3459",
		"3691E55CB63FCC37914430B2F70B5EC6",
		"FE814EDF564C190AC1D25753979990FA",
		"1863CCACEB568C31D7DDBDF1D4E91387",
		"F4AB33DF4889F0AF29C513905BE1D758",
		"13EAEB529F61ACFB9A29D0BA3A60DE4A",
		"992DB77C382CA2BDB9727001F3CDCCD9",
		"63AB4258ECA922976811C7F55C383CE7",
		"DFBC5AC97CED01B3A6E348E3CC63F40D",
		"31CB111C4A4EBE9287CEAE16FE51B909",
	}
	var gotHex []string
	var selected []string
	var positions []int
	for _, d := range draws[:10] {
		gotHex = append(gotHex, d.Hex())
		selected = append(selected, rfc3797Pool[d.Position-1])
		positions = append(positions, d.Position)
	}
	if diff := cmp.Diff(wantHex, gotHex); diff != "" {
		t.Errorf("derived values (-RFC 3797 §6 +got):\n%s", diff)
	}
	if diff := cmp.Diff([]int{17, 7, 2, 16, 25, 23, 8, 24, 19, 13}, positions); diff != "" {
		t.Errorf("positions selected (-RFC 3797 §6 +got):\n%s", diff)
	}
	want := []string{"Lee", "Doc", "Mary", "Charity", "Kasczynski", "Envy", "Sneazy", "Anger", "Chastity", "Pandora"}
	if diff := cmp.Diff(want, selected); diff != "" {
		t.Errorf("selected (-RFC 3797 §6 +got):\n%s", diff)
	}
	// The first divisions of the table: 25, 24, 23, 22 people left, and
	// the remainders 16, 6, 1, 13.
	for i, w := range []struct{ left, rem int }{{25, 16}, {24, 6}, {23, 1}, {22, 13}} {
		if draws[i].Left != w.left || draws[i].Remainder != w.rem {
			t.Errorf("draw %d: %d left, remainder %d; want %d, %d", i+1, draws[i].Left, draws[i].Remainder, w.left, w.rem)
		}
	}
	if len(draws) != 25 {
		t.Errorf("the whole pool draws %d, want 25", len(draws))
	}
}

// TestCanonicalSource is RFC 3797 §4's canonical form of each kind of
// source.
func TestCanonicalSource(t *testing.T) {
	for _, c := range []struct{ in, want string }{
		{"9319", "9319./"},
		{"2 5 12 8 10", "2.5.8.10.12./"},
		{"0009", "9./"},
		{"1.25", "1.25/"},
		{"3.0", "3./"},
		{"0.50 .7", "0.5" + "0.7/"},
		{"5 3 1.25", "1.25" + "3.5./"},
		{"10 9 100", "9.10.100./"},
		{"Mažňák", "MAZNAK/"},
		{"Dow Jones: 12,345.67!", "DOWJONES1234567/"},
	} {
		got, err := CanonicalSource(c.in)
		if err != nil {
			t.Errorf("%q: %v", c.in, err)
			continue
		}
		if got != c.want {
			t.Errorf("%q: %q, want %q", c.in, got, c.want)
		}
	}
	for _, bad := range []string{"", "  , ", "!!!"} {
		if _, err := CanonicalSource(bad); err == nil {
			t.Errorf("%q: canonicalised, want an error", bad)
		}
	}
}

func TestDrawerBounds(t *testing.T) {
	for _, n := range []int{0, -1, MaxPool + 1} {
		if _, err := NewDrawer("1./", n); err == nil {
			t.Errorf("a pool of %d: drawn from", n)
		}
	}
	draws, err := Order("1./", 1)
	if err != nil || len(draws) != 1 || draws[0].Position != 1 {
		t.Errorf("a pool of one: %v, %v", draws, err)
	}
}
