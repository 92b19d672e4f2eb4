package lint

import (
	"regexp"
	"strconv"
	"strings"
)

// yamlLine is yaml.v3's syntax error: "yaml: line N: message".
var yamlLine = regexp.MustCompile(`(?s)^yaml: line ([0-9]+): (.*)$`)

// YAMLErrorAt reads an error of yaml.v3 for a message that names its place
// itself: line is the 1-based line of the parsed text that a syntax error
// ("yaml: line N: message") points at, and 0 for any other error; msg is the
// error without its "yaml: " prefix and line.
//
// yaml.v3 prints the line of a scanner error 1-based and the line of a parser
// error 0-based (the mark of the token it stopped at, or of the start of the
// mapping, sequence or node it was parsing), so the number it prints is one
// line too early for a parser error; YAMLErrorAt tells the two apart by the
// scanner's messages. The line counts from the start of the text given to
// yaml.v3: a whole stream decoded with one yaml.Decoder counts from the
// stream's first line.
func YAMLErrorAt(err error) (line int, msg string) {
	s := err.Error()
	m := yamlLine.FindStringSubmatch(s)
	if m == nil {
		return 0, strings.TrimPrefix(s, "yaml: ")
	}
	line, convErr := strconv.Atoi(m[1])
	if convErr != nil {
		return 0, strings.TrimPrefix(s, "yaml: ")
	}
	if !yamlScannerProblem(m[2]) {
		line++
	}
	return line, m[2]
}

// yamlScannerProblems begin the messages of yaml.v3's scanner (scannerc.go),
// whose errors carry a 1-based line; every other "line N" message comes from
// its parser (parserc.go), 0-based.
var yamlScannerProblems = []string{
	"block sequence entries are not allowed",
	"could not find expected",
	"did not find URI escaped octet",
	"did not find expected '!'",
	"did not find expected alphabetic",
	"did not find expected comment",
	"did not find expected digit",
	"did not find expected hexdecimal",
	"did not find expected tag URI",
	"did not find expected version",
	"did not find expected whitespace",
	"did not find the expected '>'",
	"exceeded max depth",
	"found a tab character",
	"found an incorrect leading UTF-8 octet",
	"found an incorrect trailing UTF-8 octet",
	"found an indentation indicator",
	"found character that cannot",
	"found extremely long",
	"found invalid Unicode",
	"found unexpected document indicator",
	"found unexpected end of stream",
	"found unexpected non-alphabetical",
	"found unknown directive",
	"found unknown escape",
	"mapping keys are not allowed",
	"mapping values are not allowed",
}

func yamlScannerProblem(msg string) bool {
	for _, p := range yamlScannerProblems {
		if strings.HasPrefix(msg, p) {
			return true
		}
	}
	return false
}
