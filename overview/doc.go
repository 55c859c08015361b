// Package overview composes one document about a firmware build and the
// model it runs: flash by component (with each component's largest
// symbols), RAM by section, memory regions, and, given a model, its tensor
// arena (tensor lifetimes, the lower bound, the plans of TFLM's greedy
// planner and footprint's best planner, stock TFLM's kTensorArenaSize for
// the target, and whether the firmware's arena buffer holds it).
//
// Given the firmware's worst-case stack (package stack), the document adds
// it (thread mode, interrupts, the reservation) and the RAM the firmware
// needs at run time: static data + the arena beyond its buffer + the
// worst-case stack, against the memory region holding the static data
// (RAMNeed says what is counted where, so nothing is counted twice).
//
// The pieces exist separately (package report for the attribution,
// tensorplan for plans, tflmarena for TFLM's arena); an engineer deciding
// what to cut wants them side by side. A Document is rendered as text,
// JSON (schema footprint.report/v1), Markdown, or one self-contained HTML
// page with pictures: a squarified treemap of flash (Squarify), a bar of
// the RAM need and a chart of the arena over the model's steps, drawn as
// inline SVG with no scripts, styles or fonts from anywhere else.
package overview
