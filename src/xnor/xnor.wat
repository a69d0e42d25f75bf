;; XNOR-popcount GEMM for packed ±1 matrices (bit = 1 for +1, zero padding), WebAssembly.
;;
;; out[i * n + j] = bits - 2 * popcount(A_i xor B_j) for rows i0 <= i < i1 and 0 <= j < n.
;; Rows of A and B are `stride` bytes apart, stride a multiple of 16, padding bits zero (they
;; cancel under xor). The caller pads the row counts of A and B to even numbers, so the kernels
;; work on 2 x 2 output tiles: each step's loads of two rows of A and two of B feed four
;; xor + popcount, half the loads per popcount of a 1 x 1 loop.
;; Columns of B are processed in blocks of `jblock` rows so that the block stays in cache while
;; every row of A streams past it.
;; The memory is imported and shared, so worker threads run the same kernel on other row ranges.
;;
;; Two kernels with the same contract:
;;  - gemm: scalar i64.popcnt (V8 emits the POPCNT instruction), k loop unrolled twice, row
;;    pointers advanced in place (measured faster than base + index addressing);
;;  - gemm_simd: v128.xor + i8x16.popcnt, byte counts summed in i8x16 lanes for at most 31
;;    vectors (31 * 8 = 248 < 256, no lane overflows) and then widened into i32x4 totals.
;; On Node 20 (V8 11.3) on this AMD EPYC the scalar kernel is the faster (bench/RESULTS.md):
;; V8 lowers i8x16.popcnt to a nibble-table sequence of about eight instructions.
(module
  (import "env" "memory" (memory 1 16384 shared))

  ;; sum of the four i32 lanes
  (func $hsum (param $v v128) (result i32)
    (i32.add
      (i32.add (i32x4.extract_lane 0 (local.get $v)) (i32x4.extract_lane 1 (local.get $v)))
      (i32.add (i32x4.extract_lane 2 (local.get $v)) (i32x4.extract_lane 3 (local.get $v)))))

  ;; i8x16 byte counts -> i32x4
  (func $widen (param $v v128) (result v128)
    (i32x4.extadd_pairwise_i16x8_u (i16x8.extadd_pairwise_i8x16_u (local.get $v))))

  (func (export "gemm")
    (param $a i32) (param $b i32) (param $out i32)
    (param $i0 i32) (param $i1 i32) (param $n i32)
    (param $stride i32) (param $bits i32) (param $jblock i32)
    (local $jb i32) (local $jend i32) (local $i i32) (local $j i32)
    (local $pa0 i32) (local $pa1 i32) (local $pb0 i32) (local $pb1 i32)
    (local $ra i32) (local $kend i32) (local $po i32) (local $rowBytes i32)
    (local $va0 i64) (local $va1 i64) (local $vb0 i64) (local $vb1 i64)
    (local $c00 i64) (local $c01 i64) (local $c10 i64) (local $c11 i64)
    (local.set $rowBytes (i32.shl (local.get $n) (i32.const 2)))
    (local.set $jb (i32.const 0))
    (block $jb_done
      (loop $jb_loop
        (br_if $jb_done (i32.ge_u (local.get $jb) (local.get $n)))
        (local.set $jend (i32.add (local.get $jb) (local.get $jblock)))
        (if (i32.gt_u (local.get $jend) (local.get $n)) (then (local.set $jend (local.get $n))))
        (local.set $i (local.get $i0))
        (block $i_done
          (loop $i_loop
            (br_if $i_done (i32.ge_u (local.get $i) (local.get $i1)))
            (local.set $ra (i32.add (local.get $a) (i32.mul (local.get $i) (local.get $stride))))
            (local.set $j (local.get $jb))
            (block $j_done
              (loop $j_loop
                (br_if $j_done (i32.ge_u (local.get $j) (local.get $jend)))
                (local.set $pa0 (local.get $ra))
                (local.set $pa1 (i32.add (local.get $ra) (local.get $stride)))
                (local.set $pb0 (i32.add (local.get $b) (i32.mul (local.get $j) (local.get $stride))))
                (local.set $pb1 (i32.add (local.get $pb0) (local.get $stride)))
                (local.set $kend (i32.add (local.get $ra) (local.get $stride)))
                (local.set $c00 (i64.const 0))
                (local.set $c01 (i64.const 0))
                (local.set $c10 (i64.const 0))
                (local.set $c11 (i64.const 0))
                (loop $k_loop
                  (local.set $va0 (i64.load offset=0 (local.get $pa0)))
                  (local.set $va1 (i64.load offset=0 (local.get $pa1)))
                  (local.set $vb0 (i64.load offset=0 (local.get $pb0)))
                  (local.set $vb1 (i64.load offset=0 (local.get $pb1)))
                  (local.set $c00 (i64.add (local.get $c00) (i64.popcnt (i64.xor (local.get $va0) (local.get $vb0)))))
                  (local.set $c01 (i64.add (local.get $c01) (i64.popcnt (i64.xor (local.get $va0) (local.get $vb1)))))
                  (local.set $c10 (i64.add (local.get $c10) (i64.popcnt (i64.xor (local.get $va1) (local.get $vb0)))))
                  (local.set $c11 (i64.add (local.get $c11) (i64.popcnt (i64.xor (local.get $va1) (local.get $vb1)))))
                  (local.set $va0 (i64.load offset=8 (local.get $pa0)))
                  (local.set $va1 (i64.load offset=8 (local.get $pa1)))
                  (local.set $vb0 (i64.load offset=8 (local.get $pb0)))
                  (local.set $vb1 (i64.load offset=8 (local.get $pb1)))
                  (local.set $c00 (i64.add (local.get $c00) (i64.popcnt (i64.xor (local.get $va0) (local.get $vb0)))))
                  (local.set $c01 (i64.add (local.get $c01) (i64.popcnt (i64.xor (local.get $va0) (local.get $vb1)))))
                  (local.set $c10 (i64.add (local.get $c10) (i64.popcnt (i64.xor (local.get $va1) (local.get $vb0)))))
                  (local.set $c11 (i64.add (local.get $c11) (i64.popcnt (i64.xor (local.get $va1) (local.get $vb1)))))
                  (local.set $pa0 (i32.add (local.get $pa0) (i32.const 16)))
                  (local.set $pa1 (i32.add (local.get $pa1) (i32.const 16)))
                  (local.set $pb0 (i32.add (local.get $pb0) (i32.const 16)))
                  (local.set $pb1 (i32.add (local.get $pb1) (i32.const 16)))
                  (br_if $k_loop (i32.lt_u (local.get $pa0) (local.get $kend))))
                ;; out row i starts at out + 4 * i * n; entry = bits - 2 * count
                (local.set $po (i32.add (local.get $out)
                  (i32.shl (i32.add (i32.mul (local.get $i) (local.get $n)) (local.get $j)) (i32.const 2))))
                (i32.store (local.get $po)
                  (i32.sub (local.get $bits) (i32.shl (i32.wrap_i64 (local.get $c00)) (i32.const 1))))
                (i32.store offset=4 (local.get $po)
                  (i32.sub (local.get $bits) (i32.shl (i32.wrap_i64 (local.get $c01)) (i32.const 1))))
                (local.set $po (i32.add (local.get $po) (local.get $rowBytes)))
                (i32.store (local.get $po)
                  (i32.sub (local.get $bits) (i32.shl (i32.wrap_i64 (local.get $c10)) (i32.const 1))))
                (i32.store offset=4 (local.get $po)
                  (i32.sub (local.get $bits) (i32.shl (i32.wrap_i64 (local.get $c11)) (i32.const 1))))
                (local.set $j (i32.add (local.get $j) (i32.const 2)))
                (br $j_loop)))
            (local.set $i (i32.add (local.get $i) (i32.const 2)))
            (br $i_loop)))
        (local.set $jb (local.get $jend))
        (br $jb_loop))))

  (func (export "gemm_simd")
    (param $a i32) (param $b i32) (param $out i32)
    (param $i0 i32) (param $i1 i32) (param $n i32)
    (param $stride i32) (param $bits i32) (param $jblock i32)
    (local $jb i32) (local $jend i32) (local $i i32) (local $j i32)
    (local $pa0 i32) (local $pa1 i32) (local $pb0 i32) (local $pb1 i32)
    (local $k i32) (local $po i32) (local $rowBytes i32)
    (local $kend i32)
    (local $wa0 v128) (local $wa1 v128) (local $wb0 v128) (local $wb1 v128)
    (local $s00 v128) (local $s01 v128) (local $s10 v128) (local $s11 v128)
    (local $c00 v128) (local $c01 v128) (local $c10 v128) (local $c11 v128)
    (local.set $rowBytes (i32.shl (local.get $n) (i32.const 2)))
    (local.set $jb (i32.const 0))
    (block $jb_done
      (loop $jb_loop
        (br_if $jb_done (i32.ge_u (local.get $jb) (local.get $n)))
        (local.set $jend (i32.add (local.get $jb) (local.get $jblock)))
        (if (i32.gt_u (local.get $jend) (local.get $n)) (then (local.set $jend (local.get $n))))
        (local.set $i (local.get $i0))
        (block $i_done
          (loop $i_loop
            (br_if $i_done (i32.ge_u (local.get $i) (local.get $i1)))
            (local.set $pa0 (i32.add (local.get $a) (i32.mul (local.get $i) (local.get $stride))))
            (local.set $pa1 (i32.add (local.get $pa0) (local.get $stride)))
            (local.set $j (local.get $jb))
            (block $j_done
              (loop $j_loop
                (br_if $j_done (i32.ge_u (local.get $j) (local.get $jend)))
                (local.set $pb0 (i32.add (local.get $b) (i32.mul (local.get $j) (local.get $stride))))
                (local.set $pb1 (i32.add (local.get $pb0) (local.get $stride)))
                (local.set $c00 (v128.const i32x4 0 0 0 0))
                (local.set $c01 (v128.const i32x4 0 0 0 0))
                (local.set $c10 (v128.const i32x4 0 0 0 0))
                (local.set $c11 (v128.const i32x4 0 0 0 0))
                (local.set $k (i32.const 0))
                (block $k_done
                  (loop $chunk_loop
                    (br_if $k_done (i32.ge_u (local.get $k) (local.get $stride)))
                    ;; at most 31 vectors per chunk: 31 * 8 = 248 fits a byte lane
                    (local.set $kend (i32.add (local.get $k) (i32.const 496)))
                    (if (i32.gt_u (local.get $kend) (local.get $stride)) (then (local.set $kend (local.get $stride))))
                    (local.set $s00 (v128.const i32x4 0 0 0 0))
                    (local.set $s01 (v128.const i32x4 0 0 0 0))
                    (local.set $s10 (v128.const i32x4 0 0 0 0))
                    (local.set $s11 (v128.const i32x4 0 0 0 0))
                    (loop $k_loop
                      (local.set $wa0 (v128.load (i32.add (local.get $pa0) (local.get $k))))
                      (local.set $wa1 (v128.load (i32.add (local.get $pa1) (local.get $k))))
                      (local.set $wb0 (v128.load (i32.add (local.get $pb0) (local.get $k))))
                      (local.set $wb1 (v128.load (i32.add (local.get $pb1) (local.get $k))))
                      (local.set $s00 (i8x16.add (local.get $s00) (i8x16.popcnt (v128.xor (local.get $wa0) (local.get $wb0)))))
                      (local.set $s01 (i8x16.add (local.get $s01) (i8x16.popcnt (v128.xor (local.get $wa0) (local.get $wb1)))))
                      (local.set $s10 (i8x16.add (local.get $s10) (i8x16.popcnt (v128.xor (local.get $wa1) (local.get $wb0)))))
                      (local.set $s11 (i8x16.add (local.get $s11) (i8x16.popcnt (v128.xor (local.get $wa1) (local.get $wb1)))))
                      (local.set $k (i32.add (local.get $k) (i32.const 16)))
                      (br_if $k_loop (i32.lt_u (local.get $k) (local.get $kend))))
                    (local.set $c00 (i32x4.add (local.get $c00) (call $widen (local.get $s00))))
                    (local.set $c01 (i32x4.add (local.get $c01) (call $widen (local.get $s01))))
                    (local.set $c10 (i32x4.add (local.get $c10) (call $widen (local.get $s10))))
                    (local.set $c11 (i32x4.add (local.get $c11) (call $widen (local.get $s11))))
                    (br $chunk_loop)))
                ;; out row i starts at out + 4 * i * n; entry = bits - 2 * count
                (local.set $po (i32.add (local.get $out)
                  (i32.shl (i32.add (i32.mul (local.get $i) (local.get $n)) (local.get $j)) (i32.const 2))))
                (i32.store (local.get $po)
                  (i32.sub (local.get $bits) (i32.shl (call $hsum (local.get $c00)) (i32.const 1))))
                (i32.store offset=4 (local.get $po)
                  (i32.sub (local.get $bits) (i32.shl (call $hsum (local.get $c01)) (i32.const 1))))
                (local.set $po (i32.add (local.get $po) (local.get $rowBytes)))
                (i32.store (local.get $po)
                  (i32.sub (local.get $bits) (i32.shl (call $hsum (local.get $c10)) (i32.const 1))))
                (i32.store offset=4 (local.get $po)
                  (i32.sub (local.get $bits) (i32.shl (call $hsum (local.get $c11)) (i32.const 1))))
                (local.set $j (i32.add (local.get $j) (i32.const 2)))
                (br $j_loop)))
            (local.set $i (i32.add (local.get $i) (i32.const 2)))
            (br $i_loop)))
        (local.set $jb (local.get $jend))
        (br $jb_loop))))
)
