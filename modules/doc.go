// Package modules embeds the Terraform modules behind every kind on every
// cloud (modules/<cloud>/<kind>) into the skyform binary. The compiler copies
// the ones a blueprint uses into the output directory beside the root
// module, so the output is self-contained and readable.
//
// Each module of a kind outputs that kind's neutral attributes
// (blueprints.Attributes) under the same names on every cloud; that is what
// makes references portable. A platform team can swap a module for its own
// hardened one as long as it keeps those outputs: LoadConfig reads the
// module config that maps a kind on a cloud to a local directory (read
// here, its interface checked by the compiler) or to a pinned, allowlisted
// remote source (which only terraform init can read).
package modules
