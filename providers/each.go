package providers

import (
	"runtime"
	"sync"

	"github.com/skyform/skyform/blueprints"
	"github.com/skyform/skyform/internal/tfir"
)

// eachAbove is the number of resources above which Each lowers them in
// parts side by side.
const eachAbove = 256

// Each returns the module calls lower builds for the resources, in their
// order, leaving out nil ones. A cloud's lowering keeps state S while it
// goes (diagnostics, what its network must offer); above eachAbove
// resources, on several cores, the resources are cut into one run per
// core, each lowered with its own state from fork, and join folds each
// run's state back into the cloud's, in order, once all are done. lower
// must then touch nothing but its state and the block it returns.
func Each[S any](bp *blueprints.Blueprint, rs []*blueprints.Resource, st *S, fork func() *S, join func(*S), lower func(*S, *blueprints.Resource) *tfir.Block) []*tfir.Block {
	parts := runtime.GOMAXPROCS(0)
	if parts < 2 || len(rs) < eachAbove {
		out := make([]*tfir.Block, 0, len(rs))
		for _, r := range rs {
			if b := lower(st, r); b != nil {
				out = append(out, b)
			}
		}
		return out
	}
	bp.Resource("") // builds the name index now, not in two runs at once
	states := make([]*S, parts)
	outs := make([][]*tfir.Block, parts)
	var wg sync.WaitGroup
	for i := range parts {
		states[i] = fork()
		run := rs[len(rs)*i/parts : len(rs)*(i+1)/parts]
		wg.Add(1)
		go func() {
			defer wg.Done()
			for _, r := range run {
				if b := lower(states[i], r); b != nil {
					outs[i] = append(outs[i], b)
				}
			}
		}()
	}
	wg.Wait()
	out := make([]*tfir.Block, 0, len(rs))
	for i := range parts {
		join(states[i])
		out = append(out, outs[i]...)
	}
	return out
}
