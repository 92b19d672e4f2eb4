// Command static is a small static program the image tests put in place of
// certgate when only the image's shape is under test.
package main

import "fmt"

func main() { fmt.Println("certgate test binary") }
