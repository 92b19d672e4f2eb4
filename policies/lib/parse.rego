# How certctl parses typed values (Go's strconv and time packages), so rules
# can say what a value becomes. Every parser is undefined where Go's returns an
# error; certctl then silently uses the variable's default.
package certgate.lib

max_int64 := 9223372036854775807

min_int64 := -9223372036854775808

# parse_int reads a value as Go's strconv.ParseInt(v, 10, 64) (and Atoi on a
# 64-bit platform) does: an optional sign, base-10 digits, leading zeros of any
# length, within int64.
parse_int(v) := to_number(trim_prefix(v, "+")) if {
	# at most 18 digits: no overflow possible
	regex.match(`^[+-]?[0-9]{1,18}$`, v)
} else := n if {
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
# "1.5s", "-2m"). "60" (no unit), "1d" and "" are errors, and so is a magnitude
# above 1<<63-1 ns (1<<63 when negative).
# The common form (an unsigned integer of at most six digits and a unit: 30s,
# 5m, 168h, which cannot overflow) is read without a regular expression; the
# else branches handle "0" and every other form.
parse_duration(v) := n if {
	unit := trim_left(v, "0123456789")
	digits := trim_suffix(v, unit)
	digits != ""
	count(digits) <= 6
	n := to_number(digits) * duration_units[unit]
} else := 0 if {
	regex.match(`^[-+]?0$`, v)
} else := n if {
	regex.match(duration_pattern, v)
	parts := regex.find_all_string_submatch_n(`([0-9]*)(?:\.([0-9]*))?(ns|us|µs|μs|ms|s|m|h)`, v, -1)
	total := sum([component(p[1], p[2], duration_units[p[3]]) | some p in parts])
	negative := startswith(v, "-")
	total <= duration_limit[negative]
	n := signed(negative, total)
}

duration_limit := {true: 9223372036854775808, false: max_int64}

# parses_duration: time.ParseDuration accepts v. A value of at most seven
# characters cannot overflow, so its syntax decides.
parses_duration(v) if {
	count(v) <= 7
	regex.match(`^[-+]?((([0-9]+(\.[0-9]*)?|\.[0-9]+)(ns|us|µs|μs|ms|s|m|h))+|0)$`, v)
} else if parse_duration(v)

# parses_int: strconv.ParseInt(v, 10, 64) accepts v. Eighteen digits cannot
# overflow, so their syntax decides.
parses_int(v) if regex.match(`^[+-]?[0-9]{1,18}$`, v)

else if parse_int(v)

# component is one number-unit pair in nanoseconds (exact integer arithmetic).
component(whole, frac, unit) := (to_number(concat("", ["0", whole])) * unit) + fraction_ns(frac, unit)

# fraction_ns is the fraction's share of a unit, truncated to whole
# nanoseconds. Like Go it reads the fraction's digits while they fit an int64
# (leading zeros always count) and ignores the rest. Go multiplies in float64,
# so a fraction with more than 15 significant digits can come out a
# nanosecond apart; every fraction of a second, minute or hour with at most
# nine digits is exact in both.
fraction_ns("", _) := 0

fraction_ns(frac, unit) := round((product - (product % scale)) / scale) if {
	frac != ""
	significant := trim_left(frac, "0")
	kept := substring(significant, 0, fraction_digits(significant))
	f := to_number(concat("", ["0", kept]))
	scale := to_number(concat("", ["1", concat("", ["0" | some _ in numbers.range(1, (count(frac) - count(significant)) + count(kept))])]))
	product := f * unit
}

# fraction_digits is how many significant digits of a fraction Go's
# leadingFraction accumulates before the value would overflow.
fraction_digits(sig) := count(sig) if count(sig) <= 18

fraction_digits(sig) := 19 if {
	count(sig) >= 19
	fraction_fits_19(sig)
}

fraction_digits(sig) := 18 if {
	count(sig) >= 19
	not fraction_fits_19(sig)
}

fraction_fits_19(sig) if {
	to_number(substring(sig, 0, 18)) <= 922337203685477580
	to_number(substring(sig, 0, 19)) <= 9223372036854775808
}

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

# Agent booleans that are false; with the true ones, every spelling the agent
# documents (compared in lower case).
agent_false_spellings := {"0", "f", "false", "no", "off"}

agent_bool_spellings := agent_true_spellings | agent_false_spellings
