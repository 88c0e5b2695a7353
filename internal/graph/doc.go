// Package graph draws a blueprint: its neutral resources grouped by the
// cloud each is placed on, and the wiring between them (a queue that
// triggers a function, a reference such as ${orders-db.host}). With detail,
// each neutral resource lists the cloud resources behind it and the implicit
// modules (networks, resource groups) appear with what uses them.
//
// Contract:
//   - Build reads the neutral model only; Detail reads the compiled root
//     module (its root .tf files and the modules/ it carries) with hclsyntax, never a
//     hand-kept list, so the drawing follows the modules as they are.
//   - Which cloud resources a module creates is found by evaluating each
//     resource's count and for_each against the module call's arguments, the
//     variables' defaults and the module's locals; what depends on values
//     only known at apply is drawn with [?].
//   - Mermaid and DOT output is deterministic (nodes, edges and labels in a
//     fixed order), every identifier is generated from restricted names and
//     every label is quoted and escaped, so any text is safe in a label.
package graph
