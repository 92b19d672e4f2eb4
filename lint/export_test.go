package lint

// Partitioning sets when and how finely Eval partitions an input, for tests;
// the returned function restores the defaults.
func Partitioning(min, size int) (restore func()) {
	oldMin, oldSize := partitionMin, partitionSize
	partitionMin, partitionSize = min, size
	return func() { partitionMin, partitionSize = oldMin, oldSize }
}
