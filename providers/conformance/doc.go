// Package conformance is the one test suite every cloud's lowering passes:
// the same table of blueprints runs against aws, gcp and azure from each
// cloud's own tests (`conformance.Run(t, New())`).
//
// It checks what must hold on every cloud without running terraform: each
// resource becomes one module call with a stable address derived from its
// name; every argument the lowering passes is a variable the embedded
// module declares, and every required variable is passed; every module of
// a kind exposes that kind's neutral attributes; references become module
// outputs; labels reach every module; approximations are warnings that
// point into the blueprint; lowering is deterministic. The real terraform
// validate of the same output runs in the compiler's golden tests.
package conformance
