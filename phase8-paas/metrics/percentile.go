package metrics

import (
	"math"
	"slices"
)

// Percentiles returns the p-th percentiles (0 < p <= 100) of values, by
// the nearest-rank method: the smallest value that at least p percent of
// the values are less than or equal to. It sorts values in place. With
// no values, every percentile is 0.
func Percentiles(values []float64, ps ...float64) []float64 {
	out := make([]float64, len(ps))
	if len(values) == 0 {
		return out
	}
	slices.Sort(values)
	for i, p := range ps {
		rank := int(math.Ceil(p / 100 * float64(len(values))))
		out[i] = values[min(max(rank, 1), len(values))-1]
	}
	return out
}
