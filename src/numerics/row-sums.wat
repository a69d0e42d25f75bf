;; Sums of selected rows of a matrix, WebAssembly with SIMD f64x2: the inner loop of the mlp
;; problem's relaxed pass on ±1 inputs (problems/mlp-relaxed.ts), where a layer's pre-activations
;; are sums of weight rows at each sample's +1 inputs and its weight gradient is, per input, the
;; sum of the delta rows of the samples where that input is +1. src/numerics/row-sums.ts holds the
;; JavaScript reference (addRows) these are tested against bit for bit.
;;
;; M is a matrix of rows of h f64; index i32[] names rows of M; from/to i32[rows] delimit each
;; output row's stretch of index; out is rows x h f64. Every pointer is a byte offset into the
;; module's own memory, which the caller sizes once (memory.grow) before taking views of it.
;;
;; Rounding: out row r = (((0 + M[i0]) + M[i1]) + M[i2]) + ... in index order, each entry on its
;; own: the f64x2 lanes round exactly as scalar additions do, and four rows per pass over the
;; output (acc + a + b + c + d, left to right) round as four passes would.
(module
  (memory (export "memory") 1 65536)

  ;; out[o .. o + 8h) += M rows at byte offsets a, b, c, d (left to right), over h entries
  (func $add4 (param $o i32) (param $a i32) (param $b i32) (param $c i32) (param $d i32) (param $h i32)
    (local $j i32) (local $end i32) (local $end2 i32)
    (local.set $end (i32.shl (local.get $h) (i32.const 3)))
    (local.set $end2 (i32.and (local.get $end) (i32.const -32)))
    (local.set $j (i32.const 0))
    ;; four entries per turn, in two independent f64x2 chains
    (block $done4 (loop $l4
      (br_if $done4 (i32.ge_u (local.get $j) (local.get $end2)))
      (v128.store (i32.add (local.get $o) (local.get $j))
        (f64x2.add (f64x2.add (f64x2.add (f64x2.add
          (v128.load (i32.add (local.get $o) (local.get $j)))
          (v128.load (i32.add (local.get $a) (local.get $j))))
          (v128.load (i32.add (local.get $b) (local.get $j))))
          (v128.load (i32.add (local.get $c) (local.get $j))))
          (v128.load (i32.add (local.get $d) (local.get $j)))))
      (v128.store offset=16 (i32.add (local.get $o) (local.get $j))
        (f64x2.add (f64x2.add (f64x2.add (f64x2.add
          (v128.load offset=16 (i32.add (local.get $o) (local.get $j)))
          (v128.load offset=16 (i32.add (local.get $a) (local.get $j))))
          (v128.load offset=16 (i32.add (local.get $b) (local.get $j))))
          (v128.load offset=16 (i32.add (local.get $c) (local.get $j))))
          (v128.load offset=16 (i32.add (local.get $d) (local.get $j)))))
      (local.set $j (i32.add (local.get $j) (i32.const 32)))
      (br $l4)))
    ;; the last one to three entries one at a time
    (block $done1 (loop $l1
      (br_if $done1 (i32.ge_u (local.get $j) (local.get $end)))
      (f64.store (i32.add (local.get $o) (local.get $j))
        (f64.add (f64.add (f64.add (f64.add
          (f64.load (i32.add (local.get $o) (local.get $j)))
          (f64.load (i32.add (local.get $a) (local.get $j))))
          (f64.load (i32.add (local.get $b) (local.get $j))))
          (f64.load (i32.add (local.get $c) (local.get $j))))
          (f64.load (i32.add (local.get $d) (local.get $j)))))
      (local.set $j (i32.add (local.get $j) (i32.const 8)))
      (br $l1))))

  ;; out[o .. o + 8h) += M row at byte offset a
  (func $add1 (param $o i32) (param $a i32) (param $h i32)
    (local $j i32) (local $end i32) (local $end2 i32)
    (local.set $end (i32.shl (local.get $h) (i32.const 3)))
    (local.set $end2 (i32.and (local.get $end) (i32.const -16)))
    (local.set $j (i32.const 0))
    (block $done2 (loop $l2
      (br_if $done2 (i32.ge_u (local.get $j) (local.get $end2)))
      (v128.store (i32.add (local.get $o) (local.get $j))
        (f64x2.add (v128.load (i32.add (local.get $o) (local.get $j))) (v128.load (i32.add (local.get $a) (local.get $j)))))
      (local.set $j (i32.add (local.get $j) (i32.const 16)))
      (br $l2)))
    (block $done1 (loop $l1
      (br_if $done1 (i32.ge_u (local.get $j) (local.get $end)))
      (f64.store (i32.add (local.get $o) (local.get $j))
        (f64.add (f64.load (i32.add (local.get $o) (local.get $j))) (f64.load (i32.add (local.get $a) (local.get $j)))))
      (local.set $j (i32.add (local.get $j) (i32.const 8)))
      (br $l1))))

  ;; out row r (r < rows) = 0 + the M rows index[from[r]], ..., index[to[r] - 1], in that order
  (func (export "gatherSums") (param $rows i32) (param $from i32) (param $to i32) (param $index i32) (param $M i32) (param $h i32) (param $out i32)
    (local $r i32) (local $o i32) (local $k i32) (local $k1 i32) (local $rowBytes i32) (local $p i32)
    (local.set $rowBytes (i32.shl (local.get $h) (i32.const 3)))
    (local.set $r (i32.const 0))
    (block $rows_done (loop $rl
      (br_if $rows_done (i32.ge_u (local.get $r) (local.get $rows)))
      (local.set $o (i32.add (local.get $out) (i32.mul (local.get $r) (local.get $rowBytes))))
      (memory.fill (local.get $o) (i32.const 0) (local.get $rowBytes))
      (local.set $k (i32.load (i32.add (local.get $from) (i32.shl (local.get $r) (i32.const 2)))))
      (local.set $k1 (i32.load (i32.add (local.get $to) (i32.shl (local.get $r) (i32.const 2)))))
      (block $g4_done (loop $g4
        (br_if $g4_done (i32.gt_s (i32.add (local.get $k) (i32.const 3)) (i32.sub (local.get $k1) (i32.const 1))))
        (local.set $p (i32.add (local.get $index) (i32.shl (local.get $k) (i32.const 2))))
        (call $add4 (local.get $o)
          (i32.add (local.get $M) (i32.mul (i32.load (local.get $p)) (local.get $rowBytes)))
          (i32.add (local.get $M) (i32.mul (i32.load offset=4 (local.get $p)) (local.get $rowBytes)))
          (i32.add (local.get $M) (i32.mul (i32.load offset=8 (local.get $p)) (local.get $rowBytes)))
          (i32.add (local.get $M) (i32.mul (i32.load offset=12 (local.get $p)) (local.get $rowBytes)))
          (local.get $h))
        (local.set $k (i32.add (local.get $k) (i32.const 4)))
        (br $g4)))
      (block $g1_done (loop $g1
        (br_if $g1_done (i32.ge_s (local.get $k) (local.get $k1)))
        (call $add1 (local.get $o)
          (i32.add (local.get $M) (i32.mul (i32.load (i32.add (local.get $index) (i32.shl (local.get $k) (i32.const 2)))) (local.get $rowBytes)))
          (local.get $h))
        (local.set $k (i32.add (local.get $k) (i32.const 1)))
        (br $g1)))
      (local.set $r (i32.add (local.get $r) (i32.const 1)))
      (br $rl))))
)
