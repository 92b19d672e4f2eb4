package policies_test

import (
	"context"
	"encoding/json"
	"io/fs"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/open-policy-agent/opa/v1/ast"
	"github.com/open-policy-agent/opa/v1/rego"

	"github.com/certgate/certgate/policies"
)

// libQuery prepares a query over data.certgate.lib (input.v is the argument).
func libQuery(t testing.TB, query string) rego.PreparedEvalQuery {
	t.Helper()
	var opts []func(*rego.Rego)
	err := fs.WalkDir(policies.FS, "lib", func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || strings.HasSuffix(path, "_test.rego") {
			return err
		}
		src, err := fs.ReadFile(policies.FS, path)
		if err != nil {
			return err
		}
		opts = append(opts, rego.Module(path, string(src)))
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	opts = append(opts, rego.Query(query), rego.SetRegoVersion(ast.RegoV1), rego.StrictBuiltinErrors(true))
	pq, err := rego.New(opts...).PrepareForEval(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	return pq
}

// regoInt evaluates the prepared query on v: the integer result, or ok=false
// when the query is undefined.
func regoInt(t testing.TB, pq rego.PreparedEvalQuery, v string) (int64, bool) {
	t.Helper()
	rs, err := pq.Eval(context.Background(), rego.EvalInput(map[string]any{"v": v}))
	if err != nil {
		t.Fatalf("%q: %v", v, err)
	}
	if len(rs) == 0 {
		return 0, false
	}
	n, ok := rs[0].Bindings["x"].(json.Number)
	if !ok {
		t.Fatalf("%q: result %T %v is not a number", v, rs[0].Bindings["x"], rs[0].Bindings["x"])
	}
	i, err := strconv.ParseInt(n.String(), 10, 64)
	if err != nil {
		t.Fatalf("%q: result %s is not an int64: %v", v, n, err)
	}
	return i, true
}

var durationCorpus = []string{
	"", "0", "+0", "-0", "00", "0s", "-0s", "1", "60", "-1", "1s", "1m", "5m", "1h", "59s", "60s",
	"59.999s", "0.5s", ".5s", "1.s", ".s", "1.5h", "1h30m", "1h30m45s", "-2m", "+2m", "--1m",
	"300ms", "1000ms", "999ms", "999999999ns", "1000000000ns", "2µs", "2μs", "2us", "1ns",
	"1d", "1w", "1 m", " 1m", "1m ", "m", "1M", "1S", "1H", "1.2.3s", "1m-5s", "1h-1m",
	"0.000000001s", "0.0000000001s", "0.9999999999s", "1.0000000001s", "0.1s", "0.3s", "0.7s", "1.001s",
	"0.0166666666667m", "0.01666666666666666667h", "2562047h47m16.854775807s", "2562047h47m16.854775808s",
	"-2562047h47m16.854775808s", "-2562047h47m16.854775809s", "9223372036854775807ns",
	"9223372036854775808ns", "-9223372036854775808ns", "99999999999999999999ns", "1e3s", "0x10s",
	"1_000s", "1h1h", "30m30m", "1.5m", "0.5m", "00001m", "1.000000000000000000001m",
}

// TestParseDurationMatchesGo compares lib.parse_duration with Go's
// time.ParseDuration, which certctl uses, on a corpus of edge cases.
func TestParseDurationMatchesGo(t *testing.T) {
	pq := libQuery(t, "x := data.certgate.lib.parse_duration(input.v)")
	for _, v := range durationCorpus {
		checkDuration(t, pq, v)
	}
}

func checkDuration(t testing.TB, pq rego.PreparedEvalQuery, v string) {
	t.Helper()
	want, err := time.ParseDuration(v)
	got, ok := regoInt(t, pq, v)
	switch {
	case err != nil && ok:
		t.Errorf("parse_duration(%q) = %d, Go: %v", v, got, err)
	case err == nil && !ok:
		t.Errorf("parse_duration(%q) is undefined, Go: %d", v, int64(want))
	case err == nil && got != int64(want):
		t.Errorf("parse_duration(%q) = %d, Go: %d", v, got, int64(want))
	}
}

var longFraction = regexp.MustCompile(`\.0*[0-9]{16}`)

// FuzzParseDuration: lib.parse_duration agrees with time.ParseDuration.
func FuzzParseDuration(f *testing.F) {
	for _, v := range durationCorpus {
		f.Add(v)
	}
	pq := libQuery(f, "x := data.certgate.lib.parse_duration(input.v)")
	f.Fuzz(func(t *testing.T, v string) {
		// Go multiplies fractions in float64: with more than 15 significant
		// digits it may come out a nanosecond apart (documented in parse.rego).
		if longFraction.MatchString(v) {
			t.Skip()
		}
		checkDuration(t, pq, v)
	})
}

// TestParseIntMatchesGo compares lib.parse_int with strconv.ParseInt(v, 10, 64)
// (and strconv.Atoi on 64-bit platforms), which certctl uses.
func TestParseIntMatchesGo(t *testing.T) {
	pq := libQuery(t, "x := data.certgate.lib.parse_int(input.v)")
	for _, v := range []string{
		"", "0", "-0", "+0", "-0042", "+0042", "-", "+", "42", "+42", "-42", "0042", "-0000000000000000000000042", "8443", " 8443", "8443 ",
		"https", "1e3", "0x10", "1_000", "1.0", "--1", "+-1", "9223372036854775807", "9223372036854775808",
		"-9223372036854775808", "-9223372036854775809", "99999999999999999999", "٣",
	} {
		want, err := strconv.ParseInt(v, 10, 64)
		got, ok := regoInt(t, pq, v)
		switch {
		case err != nil && ok:
			t.Errorf("parse_int(%q) = %d, Go: %v", v, got, err)
		case err == nil && !ok:
			t.Errorf("parse_int(%q) is undefined, Go: %d", v, want)
		case err == nil && got != want:
			t.Errorf("parse_int(%q) = %d, Go: %d", v, got, want)
		}
		if a, aerr := strconv.Atoi(v); (aerr == nil) != (err == nil) || int64(a) != want {
			t.Errorf("Atoi(%q) and ParseInt disagree on this platform", v)
		}
	}
}

// TestParsesMatchesGo: the cheap acceptance checks lib.parses_duration and
// lib.parses_int agree with Go on which values parse.
func TestParsesMatchesGo(t *testing.T) {
	durations := libQuery(t, "x := data.certgate.lib.parses_duration(input.v)")
	ints := libQuery(t, "x := data.certgate.lib.parses_int(input.v)")
	defined := func(pq rego.PreparedEvalQuery, v string) bool {
		rs, err := pq.Eval(context.Background(), rego.EvalInput(map[string]any{"v": v}))
		if err != nil {
			t.Fatalf("%q: %v", v, err)
		}
		return len(rs) > 0
	}
	for _, v := range append(durationCorpus, "9999999h", "999999h", "2562048h", "-0000000s", "0000000") {
		_, err := time.ParseDuration(v)
		if got := defined(durations, v); got != (err == nil) {
			t.Errorf("parses_duration(%q) = %v, Go: %v", v, got, err)
		}
		_, err = strconv.ParseInt(v, 10, 64)
		if got := defined(ints, v); got != (err == nil) {
			t.Errorf("parses_int(%q) = %v, Go: %v", v, got, err)
		}
	}
	for _, v := range []string{"999999999999999999", "9223372036854775807", "9223372036854775808", "-9223372036854775808", "+000000000000000000000000001"} {
		_, err := strconv.ParseInt(v, 10, 64)
		if got := defined(ints, v); got != (err == nil) {
			t.Errorf("parses_int(%q) = %v, Go: %v", v, got, err)
		}
	}
}
