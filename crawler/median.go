package crawler

import "sort"

// MedianMetrics is the median of each timing over runs (the measured values
// only; an even count takes the lower middle, a value that was measured);
// request counts and bytes are first's, from the visit whose snapshot is
// kept.
func MedianMetrics(runs []Metrics, first Metrics) Metrics {
	out := first
	for _, f := range []func(*Metrics) **float64{
		func(m *Metrics) **float64 { return &m.TTFBms },
		func(m *Metrics) **float64 { return &m.FCPms },
		func(m *Metrics) **float64 { return &m.LCPms },
		func(m *Metrics) **float64 { return &m.DOMContentLoadedms },
		func(m *Metrics) **float64 { return &m.Loadms },
		func(m *Metrics) **float64 { return &m.CLS },
		func(m *Metrics) **float64 { return &m.TBTms },
	} {
		var vs []float64
		for i := range runs {
			if v := *f(&runs[i]); v != nil {
				vs = append(vs, *v)
			}
		}
		if len(vs) == 0 {
			continue
		}
		sort.Float64s(vs)
		m := vs[(len(vs)-1)/2]
		*f(&out) = &m
	}
	return out
}
