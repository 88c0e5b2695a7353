package providers

import (
	"runtime"
	"sync"

	"github.com/skyform/skyform/blueprints"
	"github.com/skyform/skyform/internal/diag"
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

// EachCopy is Each for a lowering whose only state that grows is its
// diagnostics: a run lowers with a copy of st whose diagnostics start
// empty, and appends them to st's when it is joined.
func EachCopy[S any, P interface {
	*S
	Diagnostics() *diag.Diagnostics
}](bp *blueprints.Blueprint, rs []*blueprints.Resource, st P, lower func(P, *blueprints.Resource) *tfir.Block) []*tfir.Block {
	return Each(bp, rs, (*S)(st), func() *S {
		w := *(*S)(st)
		*P(&w).Diagnostics() = nil
		return &w
	}, func(w *S) {
		ds := st.Diagnostics()
		*ds = append(*ds, *P(w).Diagnostics()...)
	}, func(w *S, r *blueprints.Resource) *tfir.Block { return lower(P(w), r) })
}

// Kinds lowers one kind of resource each: a cloud's queue, function,
// database and cluster lowering, for Call.
type Kinds struct {
	Queue, Function, Database, Cluster func(*blueprints.Resource) *tfir.Block
}

// Call builds r's module call on cloud c with the lowering of its kind,
// then applies r's overrides for c; nil when the lowering builds none.
func Call(c blueprints.Cloud, r *blueprints.Resource, k Kinds) *tfir.Block {
	var lower func(*blueprints.Resource) *tfir.Block
	switch r.Kind {
	case blueprints.KindQueue:
		lower = k.Queue
	case blueprints.KindFunction:
		lower = k.Function
	case blueprints.KindDatabase:
		lower = k.Database
	case blueprints.KindCluster:
		lower = k.Cluster
	}
	if lower == nil {
		return nil
	}
	b := lower(r)
	if b != nil {
		ApplyOverrides(b, r, c)
	}
	return b
}
