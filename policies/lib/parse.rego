# How certctl parses typed values (Go's strconv and time packages), so rules
# can say what a value becomes. Every parser is undefined where Go's returns an
# error; certctl then silently uses the variable's default.
package certgate.lib

max_int64 := 9223372036854775807

min_int64 := -9223372036854775808

# parse_int reads a value as Go's strconv.ParseInt(v, 10, 64) (and Atoi on a
# 64-bit platform) does: an optional sign, base-10 digits, leading zeros of any
# length, within int64.
parse_int(v) := n if {
	regex.match(`^[+-]?[0-9]+$`, v)
	negative := startswith(v, "-")
	digits := trim_left(trim_left(v, "+-"), "0")
	count(digits) <= 19
	magnitude := to_number(concat("", ["0", digits]))
	n := signed(negative, magnitude)
	n <= max_int64
	n >= min_int64
}

signed(true, m) := 0 - m

signed(false, m) := m

# Units of time.ParseDuration in nanoseconds (both micro signs included).
duration_units := {
	"ns": 1,
	"us": 1000,
	"µs": 1000,
	"μs": 1000,
	"ms": 1000000,
	"s": 1000000000,
	"m": 60000000000,
	"h": 3600000000000,
}

duration_pattern := `^[-+]?(([0-9]+(\.[0-9]*)?|\.[0-9]+)(ns|us|µs|μs|ms|s|m|h))+$`

# parse_duration reads a value as Go's time.ParseDuration does, in nanoseconds:
# "0", or a signed sequence of decimal numbers each with a unit ("1h30m",
# "1.5s", "-2m"). "60" (no unit), "1d" and "" are errors.
parse_duration(v) := 0 if regex.match(`^[-+]?0$`, v)

parse_duration(v) := n if {
	regex.match(duration_pattern, v)
	parts := regex.find_all_string_submatch_n(`([0-9]*)(\.[0-9]*)?(ns|us|µs|μs|ms|s|m|h)`, v, -1)
	total := sum([component(p[1], p[2], p[3]) | some p in parts])
	total <= max_int64
	n := signed(startswith(v, "-"), total)
}

# component is one number-unit pair; the fraction is truncated to whole
# nanoseconds as Go truncates it.
component(whole, frac, unit) := (to_number(concat("", ["0", whole])) * duration_units[unit]) + floor(fraction(frac) * duration_units[unit])

fraction(f) := 0 if count(f) <= 1

fraction(f) := to_number(concat("", ["0", f])) if count(f) > 1

# format_duration prints nanoseconds the way Go's Duration.String does for the
# whole seconds, minutes and hours used in messages ("1m0s", "5m0s", "1s").
format_duration(ns) := sprintf("%dh%dm%ds", [h, m, s]) if {
	secs := floor(ns / 1000000000)
	secs >= 3600
	h := floor(secs / 3600)
	m := floor((secs - (h * 3600)) / 60)
	s := (secs - (h * 3600)) - (m * 60)
}

format_duration(ns) := sprintf("%dm%ds", [m, s]) if {
	secs := floor(ns / 1000000000)
	secs >= 60
	secs < 3600
	m := floor(secs / 60)
	s := secs - (m * 60)
}

format_duration(ns) := sprintf("%ds", [floor(ns / 1000000000)]) if {
	ns >= 1000000000
	ns < 60000000000
}

format_duration(ns) := sprintf("%dns", [ns]) if ns < 1000000000

# list_items splits a list value as certctl does: on commas, each item trimmed
# of spaces and tabs, empty items dropped.
list_items(v) := [item |
	some raw in split(v, ",")
	item := trim(raw, " \t")
	item != ""
]

# Agent booleans are case-insensitive (Go's strconv.ParseBool plus yes/on):
# 1, t, true, yes, on.
agent_true_spellings := {"1", "t", "true", "yes", "on"}

is_agent_true(env, name) if lower(known_value(env, name)) in agent_true_spellings

# Environments of certctl agents.
agent_envs := [env | some env in input.envs; env.role == "agent"]
