;; Burer-Monteiro kernels for the diagonally constrained SDP, WebAssembly with SIMD f64x2.
;; The JavaScript kernels (solvers/bm/factor.ts, mixing.ts, src/numerics/cholesky.ts) are the
;; reference these are tested against; solvers/bm/kernels.ts selects between them.
;;
;; C is the off-diagonal part of a symmetric matrix in compressed rows (rowPtr i32[n+1], col
;; i32[nnz], val f64[nnz], both triangles) plus its diagonal (f64[n]); V and X are n x k row-major
;; f64. Every pointer is a byte offset into the module's own memory, which the caller sizes once
;; (memory.grow) before taking views of it.
;;
;; The row field out = sum_{j != i} C_ij x_j keeps eight columns of out in registers while
;; the row's neighbours stream past (see $field). The Cholesky factorisation is row-oriented (Cholesky-Banachiewicz) in place on the lower
;; triangle, four rows at a time against each earlier row (each v128 of row j feeds four rows),
;; dot products in two f64x2 lanes: a different summation order from the JavaScript loop, which
;; the a-priori bound of src/numerics/cholesky.ts covers (it holds for any order of the sums).
(module
  (memory (export "memory") 1 65536)

  ;; out[0..k) = sum_{p in row i} val[p] * X[col[p] * k .. + k). Columns in chunks of eight held
  ;; in four f64x2 accumulators while all neighbours stream past (out is stored once per chunk,
  ;; V rows are read with immediate offsets), then pairs of columns, then a last odd column.
  (func $field (param $rowPtr i32) (param $col i32) (param $val i32) (param $X i32) (param $k i32) (param $i i32) (param $out i32)
    (local $p i32) (local $start i32) (local $end i32) (local $r i32) (local $kb i32) (local $xr i32) (local $a i32)
    (local $c v128) (local $acc0 v128) (local $acc1 v128) (local $acc2 v128) (local $acc3 v128) (local $s f64)
    (local.set $kb (i32.shl (local.get $k) (i32.const 3)))
    (local.set $start (i32.load (i32.add (local.get $rowPtr) (i32.shl (local.get $i) (i32.const 2)))))
    (local.set $end (i32.load (i32.add (local.get $rowPtr) (i32.shl (i32.add (local.get $i) (i32.const 1)) (i32.const 2)))))
    (local.set $r (i32.const 0))
    ;; chunks of eight columns
    (block $c8_done (loop $c8
      (br_if $c8_done (i32.gt_s (i32.add (local.get $r) (i32.const 8)) (local.get $k)))
      (local.set $xr (i32.add (local.get $X) (i32.shl (local.get $r) (i32.const 3))))
      (local.set $acc0 (f64x2.splat (f64.const 0)))
      (local.set $acc1 (f64x2.splat (f64.const 0)))
      (local.set $acc2 (f64x2.splat (f64.const 0)))
      (local.set $acc3 (f64x2.splat (f64.const 0)))
      (local.set $p (local.get $start))
      (block $p_done (loop $pl
        (br_if $p_done (i32.ge_s (local.get $p) (local.get $end)))
        (local.set $c (f64x2.splat (f64.load (i32.add (local.get $val) (i32.shl (local.get $p) (i32.const 3))))))
        (local.set $a (i32.add (local.get $xr) (i32.mul (i32.load (i32.add (local.get $col) (i32.shl (local.get $p) (i32.const 2)))) (local.get $kb))))
        (local.set $acc0 (f64x2.add (local.get $acc0) (f64x2.mul (local.get $c) (v128.load (local.get $a)))))
        (local.set $acc1 (f64x2.add (local.get $acc1) (f64x2.mul (local.get $c) (v128.load offset=16 (local.get $a)))))
        (local.set $acc2 (f64x2.add (local.get $acc2) (f64x2.mul (local.get $c) (v128.load offset=32 (local.get $a)))))
        (local.set $acc3 (f64x2.add (local.get $acc3) (f64x2.mul (local.get $c) (v128.load offset=48 (local.get $a)))))
        (local.set $p (i32.add (local.get $p) (i32.const 1)))
        (br $pl)))
      (local.set $a (i32.add (local.get $out) (i32.shl (local.get $r) (i32.const 3))))
      (v128.store (local.get $a) (local.get $acc0))
      (v128.store offset=16 (local.get $a) (local.get $acc1))
      (v128.store offset=32 (local.get $a) (local.get $acc2))
      (v128.store offset=48 (local.get $a) (local.get $acc3))
      (local.set $r (i32.add (local.get $r) (i32.const 8)))
      (br $c8)))
    ;; pairs of columns
    (block $c2_done (loop $c2
      (br_if $c2_done (i32.gt_s (i32.add (local.get $r) (i32.const 2)) (local.get $k)))
      (local.set $xr (i32.add (local.get $X) (i32.shl (local.get $r) (i32.const 3))))
      (local.set $acc0 (f64x2.splat (f64.const 0)))
      (local.set $p (local.get $start))
      (block $p2_done (loop $p2
        (br_if $p2_done (i32.ge_s (local.get $p) (local.get $end)))
        (local.set $c (f64x2.splat (f64.load (i32.add (local.get $val) (i32.shl (local.get $p) (i32.const 3))))))
        (local.set $a (i32.add (local.get $xr) (i32.mul (i32.load (i32.add (local.get $col) (i32.shl (local.get $p) (i32.const 2)))) (local.get $kb))))
        (local.set $acc0 (f64x2.add (local.get $acc0) (f64x2.mul (local.get $c) (v128.load (local.get $a)))))
        (local.set $p (i32.add (local.get $p) (i32.const 1)))
        (br $p2)))
      (v128.store (i32.add (local.get $out) (i32.shl (local.get $r) (i32.const 3))) (local.get $acc0))
      (local.set $r (i32.add (local.get $r) (i32.const 2)))
      (br $c2)))
    ;; a last odd column
    (if (i32.lt_s (local.get $r) (local.get $k)) (then
      (local.set $xr (i32.add (local.get $X) (i32.shl (local.get $r) (i32.const 3))))
      (local.set $s (f64.const 0))
      (local.set $p (local.get $start))
      (block $p1_done (loop $p1
        (br_if $p1_done (i32.ge_s (local.get $p) (local.get $end)))
        (local.set $s (f64.add (local.get $s)
          (f64.mul (f64.load (i32.add (local.get $val) (i32.shl (local.get $p) (i32.const 3))))
                   (f64.load (i32.add (local.get $xr) (i32.mul (i32.load (i32.add (local.get $col) (i32.shl (local.get $p) (i32.const 2)))) (local.get $kb)))))))
        (local.set $p (i32.add (local.get $p) (i32.const 1)))
        (br $p1)))
      (f64.store (i32.add (local.get $out) (i32.shl (local.get $r) (i32.const 3))) (local.get $s)))))

  ;; sum of the two lanes
  (func $hsum (param $v v128) (result f64)
    (f64.add (f64x2.extract_lane 0 (local.get $v)) (f64x2.extract_lane 1 (local.get $v))))

  ;; a . b over k entries
  (func $dot (param $a i32) (param $b i32) (param $k i32) (result f64)
    (local $r i32) (local $kb i32) (local $k2b i32) (local $acc v128) (local $s f64)
    (local.set $kb (i32.shl (local.get $k) (i32.const 3)))
    (local.set $k2b (i32.shl (i32.and (local.get $k) (i32.const -2)) (i32.const 3)))
    (local.set $acc (f64x2.splat (f64.const 0)))
    (local.set $r (i32.const 0))
    (block $done (loop $l
      (br_if $done (i32.ge_u (local.get $r) (local.get $k2b)))
      (local.set $acc (f64x2.add (local.get $acc)
        (f64x2.mul (v128.load (i32.add (local.get $a) (local.get $r))) (v128.load (i32.add (local.get $b) (local.get $r))))))
      (local.set $r (i32.add (local.get $r) (i32.const 16)))
      (br $l)))
    (local.set $s (call $hsum (local.get $acc)))
    (if (i32.lt_u (local.get $r) (local.get $kb)) (then
      (local.set $s (f64.add (local.get $s)
        (f64.mul (f64.load (i32.add (local.get $a) (local.get $r))) (f64.load (i32.add (local.get $b) (local.get $r))))))))
    (local.get $s))

  ;; One mixing sweep over all rows of V (maximisation), over-relaxed by omega in [1, 2):
  ;; u_i = g_i / |g_i|, w_i = omega u_i - (omega - 1) v_i, v_i <- w_i / |w_i| (omega = 1: v_i <- u_i,
  ;; the plain mixing step, done without the second pass). Returns the gain
  ;; 2 sum_i (v_i_new . g_i - v_i_old . g_i). g is k scratch doubles.
  (func (export "sweep") (param $n i32) (param $k i32) (param $rowPtr i32) (param $col i32) (param $val i32) (param $V i32) (param $g i32) (param $omega f64) (result f64)
    (local $i i32) (local $base i32) (local $norm f64) (local $old f64) (local $inv v128) (local $r i32)
    (local $kb i32) (local $k2b i32) (local $gain f64)
    (local $a v128) (local $b v128) (local $w v128) (local $ww v128) (local $wg v128) (local $gv v128)
    (local $wws f64) (local $wgs f64) (local $ws f64) (local $scale v128)
    (local.set $kb (i32.shl (local.get $k) (i32.const 3)))
    (local.set $k2b (i32.shl (i32.and (local.get $k) (i32.const -2)) (i32.const 3)))
    (local.set $gain (f64.const 0))
    (local.set $b (f64x2.splat (f64.sub (local.get $omega) (f64.const 1))))
    (local.set $i (i32.const 0))
    (block $done (loop $rows
      (br_if $done (i32.ge_s (local.get $i) (local.get $n)))
      (call $field (local.get $rowPtr) (local.get $col) (local.get $val) (local.get $V) (local.get $k) (local.get $i) (local.get $g))
      (local.set $base (i32.add (local.get $V) (i32.mul (local.get $i) (local.get $kb))))
      (local.set $norm (f64.sqrt (call $dot (local.get $g) (local.get $g) (local.get $k))))
      (local.set $old (call $dot (local.get $g) (local.get $base) (local.get $k)))
      (if (f64.gt (local.get $norm) (f64.const 0)) (then
        (if (f64.eq (local.get $omega) (f64.const 1)) (then
          (local.set $inv (f64x2.splat (f64.div (f64.const 1) (local.get $norm))))
          (local.set $r (i32.const 0))
          (block $w_done (loop $wl
            (br_if $w_done (i32.ge_u (local.get $r) (local.get $k2b)))
            (v128.store (i32.add (local.get $base) (local.get $r)) (f64x2.mul (v128.load (i32.add (local.get $g) (local.get $r))) (local.get $inv)))
            (local.set $r (i32.add (local.get $r) (i32.const 16)))
            (br $wl)))
          (if (i32.lt_u (local.get $r) (local.get $kb)) (then
            (f64.store (i32.add (local.get $base) (local.get $r)) (f64.mul (f64.load (i32.add (local.get $g) (local.get $r))) (f64x2.extract_lane 0 (local.get $inv))))))
          (local.set $gain (f64.add (local.get $gain) (f64.mul (f64.const 2) (f64.sub (local.get $norm) (local.get $old))))))
        (else
          ;; w = (omega / |g|) g - (omega - 1) v, stored in v's place, with w . w and w . g
          (local.set $a (f64x2.splat (f64.div (local.get $omega) (local.get $norm))))
          (local.set $ww (f64x2.splat (f64.const 0)))
          (local.set $wg (f64x2.splat (f64.const 0)))
          (local.set $r (i32.const 0))
          (block $o_done (loop $ol
            (br_if $o_done (i32.ge_u (local.get $r) (local.get $k2b)))
            (local.set $gv (v128.load (i32.add (local.get $g) (local.get $r))))
            (local.set $w (f64x2.sub (f64x2.mul (local.get $a) (local.get $gv)) (f64x2.mul (local.get $b) (v128.load (i32.add (local.get $base) (local.get $r))))))
            (v128.store (i32.add (local.get $base) (local.get $r)) (local.get $w))
            (local.set $ww (f64x2.add (local.get $ww) (f64x2.mul (local.get $w) (local.get $w))))
            (local.set $wg (f64x2.add (local.get $wg) (f64x2.mul (local.get $w) (local.get $gv))))
            (local.set $r (i32.add (local.get $r) (i32.const 16)))
            (br $ol)))
          (local.set $wws (call $hsum (local.get $ww)))
          (local.set $wgs (call $hsum (local.get $wg)))
          (if (i32.lt_u (local.get $r) (local.get $kb)) (then
            (local.set $ws (f64.sub
              (f64.mul (f64x2.extract_lane 0 (local.get $a)) (f64.load (i32.add (local.get $g) (local.get $r))))
              (f64.mul (f64x2.extract_lane 0 (local.get $b)) (f64.load (i32.add (local.get $base) (local.get $r))))))
            (f64.store (i32.add (local.get $base) (local.get $r)) (local.get $ws))
            (local.set $wws (f64.add (local.get $wws) (f64.mul (local.get $ws) (local.get $ws))))
            (local.set $wgs (f64.add (local.get $wgs) (f64.mul (local.get $ws) (f64.load (i32.add (local.get $g) (local.get $r))))))))
          ;; normalise: v = w / |w|, and v . g = (w . g) / |w|
          (local.set $ws (f64.div (f64.const 1) (f64.sqrt (local.get $wws))))
          (local.set $scale (f64x2.splat (local.get $ws)))
          (local.set $r (i32.const 0))
          (block $s_done (loop $sl
            (br_if $s_done (i32.ge_u (local.get $r) (local.get $k2b)))
            (v128.store (i32.add (local.get $base) (local.get $r)) (f64x2.mul (v128.load (i32.add (local.get $base) (local.get $r))) (local.get $scale)))
            (local.set $r (i32.add (local.get $r) (i32.const 16)))
            (br $sl)))
          (if (i32.lt_u (local.get $r) (local.get $kb)) (then
            (f64.store (i32.add (local.get $base) (local.get $r)) (f64.mul (f64.load (i32.add (local.get $base) (local.get $r))) (local.get $ws)))))
          (local.set $gain (f64.add (local.get $gain) (f64.mul (f64.const 2) (f64.sub (f64.mul (local.get $wgs) (local.get $ws)) (local.get $old)))))))))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br $rows)))
    (local.get $gain))

  ;; y[0..len) += a x[0..len)
  (func $axpy (param $a f64) (param $x i32) (param $y i32) (param $len i32)
    (local $r i32) (local $lb i32) (local $l2b i32) (local $av v128)
    (local.set $lb (i32.shl (local.get $len) (i32.const 3)))
    (local.set $l2b (i32.shl (i32.and (local.get $len) (i32.const -2)) (i32.const 3)))
    (local.set $av (f64x2.splat (local.get $a)))
    (local.set $r (i32.const 0))
    (block $done (loop $l
      (br_if $done (i32.ge_u (local.get $r) (local.get $l2b)))
      (v128.store (i32.add (local.get $y) (local.get $r))
        (f64x2.add (v128.load (i32.add (local.get $y) (local.get $r))) (f64x2.mul (local.get $av) (v128.load (i32.add (local.get $x) (local.get $r))))))
      (local.set $r (i32.add (local.get $r) (i32.const 16)))
      (br $l)))
    (if (i32.lt_u (local.get $r) (local.get $lb)) (then
      (f64.store (i32.add (local.get $y) (local.get $r))
        (f64.add (f64.load (i32.add (local.get $y) (local.get $r))) (f64.mul (local.get $a) (f64.load (i32.add (local.get $x) (local.get $r)))))))))

  ;; An orthonormal basis of the column space of V (n x k row-major) into the first m columns of Q
  ;; (n x k row-major, row stride k): classical Gram-Schmidt run twice per column ("twice is
  ;; enough": Giraud, Langou, Rozloznik 2005), which needs only row-contiguous passes here. A
  ;; column whose norm after both passes is at most 1e-10 of its norm before (squared: 1e-20) is
  ;; dropped. d is k scratch doubles. Returns m. Column c of the input is read from V, written to
  ;; column m of Q, so V is left unchanged.
  (func (export "orthonormalize") (param $n i32) (param $k i32) (param $V i32) (param $Q i32) (param $d i32) (result i32)
    (local $c i32) (local $m i32) (local $i i32) (local $kb i32) (local $row i32) (local $pass i32)
    (local $x f64) (local $norm0 f64) (local $norm f64) (local $inv f64) (local $b i32) (local $p i32)
    (local.set $kb (i32.shl (local.get $k) (i32.const 3)))
    (local.set $m (i32.const 0))
    (local.set $c (i32.const 0))
    (block $cols_done (loop $cols
      (br_if $cols_done (i32.ge_s (local.get $c) (local.get $k)))
      ;; copy column c of V into column m of Q
      (local.set $norm0 (f64.const 0))
      (local.set $i (i32.const 0))
      (block $cp_done (loop $cp
        (br_if $cp_done (i32.ge_s (local.get $i) (local.get $n)))
        (local.set $x (f64.load (i32.add (i32.add (local.get $V) (i32.mul (local.get $i) (local.get $kb))) (i32.shl (local.get $c) (i32.const 3)))))
        (f64.store (i32.add (i32.add (local.get $Q) (i32.mul (local.get $i) (local.get $kb))) (i32.shl (local.get $m) (i32.const 3))) (local.get $x))
        (local.set $norm0 (f64.add (local.get $norm0) (f64.mul (local.get $x) (local.get $x))))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $cp)))
      (if (i32.gt_s (local.get $m) (i32.const 0)) (then
        (local.set $pass (i32.const 0))
        (block $passes_done (loop $passes
          (br_if $passes_done (i32.ge_s (local.get $pass) (i32.const 2)))
          ;; d[0..m) = Q[:, 0..m)' q, q = Q[:, m]
          (local.set $b (i32.const 0))
          (block $z_done (loop $z
            (br_if $z_done (i32.ge_s (local.get $b) (local.get $m)))
            (f64.store (i32.add (local.get $d) (i32.shl (local.get $b) (i32.const 3))) (f64.const 0))
            (local.set $b (i32.add (local.get $b) (i32.const 1)))
            (br $z)))
          (local.set $i (i32.const 0))
          (block $d_done (loop $dl
            (br_if $d_done (i32.ge_s (local.get $i) (local.get $n)))
            (local.set $row (i32.add (local.get $Q) (i32.mul (local.get $i) (local.get $kb))))
            (call $axpy (f64.load (i32.add (local.get $row) (i32.shl (local.get $m) (i32.const 3)))) (local.get $row) (local.get $d) (local.get $m))
            (local.set $i (i32.add (local.get $i) (i32.const 1)))
            (br $dl)))
          ;; q -= Q[:, 0..m) d
          (local.set $i (i32.const 0))
          (block $s_done (loop $sl
            (br_if $s_done (i32.ge_s (local.get $i) (local.get $n)))
            (local.set $row (i32.add (local.get $Q) (i32.mul (local.get $i) (local.get $kb))))
            (local.set $p (i32.add (local.get $row) (i32.shl (local.get $m) (i32.const 3))))
            (f64.store (local.get $p) (f64.sub (f64.load (local.get $p)) (call $dot (local.get $row) (local.get $d) (local.get $m))))
            (local.set $i (i32.add (local.get $i) (i32.const 1)))
            (br $sl)))
          (local.set $pass (i32.add (local.get $pass) (i32.const 1)))
          (br $passes)))))
      ;; norm after the passes; keep and scale, or drop
      (local.set $norm (f64.const 0))
      (local.set $i (i32.const 0))
      (block $n_done (loop $nl
        (br_if $n_done (i32.ge_s (local.get $i) (local.get $n)))
        (local.set $x (f64.load (i32.add (i32.add (local.get $Q) (i32.mul (local.get $i) (local.get $kb))) (i32.shl (local.get $m) (i32.const 3)))))
        (local.set $norm (f64.add (local.get $norm) (f64.mul (local.get $x) (local.get $x))))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $nl)))
      (if (i32.and (f64.gt (local.get $norm) (f64.mul (f64.const 1e-20) (local.get $norm0))) (f64.ne (local.get $norm) (f64.const 0))) (then
        (local.set $inv (f64.div (f64.const 1) (f64.sqrt (local.get $norm))))
        (local.set $i (i32.const 0))
        (block $sc_done (loop $sc
          (br_if $sc_done (i32.ge_s (local.get $i) (local.get $n)))
          (local.set $row (i32.add (i32.add (local.get $Q) (i32.mul (local.get $i) (local.get $kb))) (i32.shl (local.get $m) (i32.const 3))))
          (f64.store (local.get $row) (f64.mul (f64.load (local.get $row)) (local.get $inv)))
          (local.set $i (i32.add (local.get $i) (i32.const 1)))
          (br $sc)))
        (local.set $m (i32.add (local.get $m) (i32.const 1)))))
      (local.set $c (i32.add (local.get $c) (i32.const 1)))
      (br $cols)))
    (local.get $m))

  ;; The slack on the basis: SQ = Diag(y) Q - CQ in place of CQ (= C Q from applyC), first m
  ;; columns of each n x k row; then H (m x m, row-major) = sum_i Q_i' SQ_i over the rows i, not
  ;; yet symmetrised (the caller averages H and H').
  (func (export "projectSlack") (param $n i32) (param $k i32) (param $m i32) (param $y i32) (param $Q i32) (param $CQ i32) (param $H i32)
    (local $i i32) (local $a i32) (local $kb i32) (local $mb i32) (local $q i32) (local $sq i32) (local $r i32) (local $yi f64)
    (local.set $kb (i32.shl (local.get $k) (i32.const 3)))
    (local.set $mb (i32.shl (local.get $m) (i32.const 3)))
    (local.set $a (i32.const 0))
    (block $z_done (loop $z
      (br_if $z_done (i32.ge_s (local.get $a) (i32.mul (local.get $m) (local.get $m))))
      (f64.store (i32.add (local.get $H) (i32.shl (local.get $a) (i32.const 3))) (f64.const 0))
      (local.set $a (i32.add (local.get $a) (i32.const 1)))
      (br $z)))
    (local.set $i (i32.const 0))
    (block $rows_done (loop $rows
      (br_if $rows_done (i32.ge_s (local.get $i) (local.get $n)))
      (local.set $q (i32.add (local.get $Q) (i32.mul (local.get $i) (local.get $kb))))
      (local.set $sq (i32.add (local.get $CQ) (i32.mul (local.get $i) (local.get $kb))))
      (local.set $yi (f64.load (i32.add (local.get $y) (i32.shl (local.get $i) (i32.const 3)))))
      (local.set $r (i32.const 0))
      (block $s_done (loop $sl
        (br_if $s_done (i32.ge_u (local.get $r) (local.get $mb)))
        (f64.store (i32.add (local.get $sq) (local.get $r))
          (f64.sub (f64.mul (local.get $yi) (f64.load (i32.add (local.get $q) (local.get $r)))) (f64.load (i32.add (local.get $sq) (local.get $r)))))
        (local.set $r (i32.add (local.get $r) (i32.const 8)))
        (br $sl)))
      (local.set $a (i32.const 0))
      (block $h_done (loop $hl
        (br_if $h_done (i32.ge_s (local.get $a) (local.get $m)))
        (call $axpy (f64.load (i32.add (local.get $q) (i32.shl (local.get $a) (i32.const 3)))) (local.get $sq)
          (i32.add (local.get $H) (i32.mul (local.get $a) (local.get $mb))) (local.get $m))
        (local.set $a (i32.add (local.get $a) (i32.const 1)))
        (br $hl)))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br $rows))))

  ;; The eigen decomposition of a small symmetric A (m x m row-major, both triangles; overwritten:
  ;; its diagonal ends as the eigenvalues) by cyclic Jacobi rotations, the eigenvectors
  ;; accumulated in the columns of Z (m x m). Each rotation (p, q) zeroes A_pq with
  ;; t = sign(th) / (|th| + sqrt(th^2 + 1)), th = (A_qq - A_pp) / (2 A_pq), c = 1 / sqrt(t^2 + 1),
  ;; s = t c (Rutishauser's formulas), applied as A <- P' A P, Z <- Z P. Sweeps stop when the sum
  ;; of squared off-diagonal entries is at most 1e-28 of the squared Frobenius norm (the eigenvalues
  ;; are then within 1e-14 |A|_F; 1e-32 was below the rounding floor on mcp124-2, 60 sweeps), or after 60.
  ;; Returns the number of sweeps.
  (func (export "jacobi") (param $m i32) (param $A i32) (param $Z i32) (result i32)
    (local $sweep i32) (local $p i32) (local $q i32) (local $r i32) (local $mb i32)
    (local $off f64) (local $fro f64) (local $x f64) (local $apq f64) (local $th f64) (local $t f64) (local $c f64) (local $s f64)
    (local $u f64) (local $v f64) (local $pp i32) (local $qq i32)
    (local.set $mb (i32.shl (local.get $m) (i32.const 3)))
    ;; Z = I
    (local.set $p (i32.const 0))
    (block $zi_done (loop $zi
      (br_if $zi_done (i32.ge_s (local.get $p) (i32.mul (local.get $m) (local.get $m))))
      (f64.store (i32.add (local.get $Z) (i32.shl (local.get $p) (i32.const 3))) (f64.const 0))
      (local.set $p (i32.add (local.get $p) (i32.const 1)))
      (br $zi)))
    (local.set $p (i32.const 0))
    (block $zd_done (loop $zd
      (br_if $zd_done (i32.ge_s (local.get $p) (local.get $m)))
      (f64.store (i32.add (local.get $Z) (i32.shl (i32.mul (local.get $p) (i32.add (local.get $m) (i32.const 1))) (i32.const 3))) (f64.const 1))
      (local.set $p (i32.add (local.get $p) (i32.const 1)))
      (br $zd)))
    (local.set $sweep (i32.const 0))
    (block $sweeps_done (loop $sweeps
      (br_if $sweeps_done (i32.ge_s (local.get $sweep) (i32.const 60)))
      ;; off-diagonal and total squared norms
      (local.set $off (f64.const 0))
      (local.set $fro (f64.const 0))
      (local.set $p (i32.const 0))
      (block $n_done (loop $nl
        (br_if $n_done (i32.ge_s (local.get $p) (local.get $m)))
        (local.set $q (i32.const 0))
        (block $n2_done (loop $n2
          (br_if $n2_done (i32.ge_s (local.get $q) (local.get $m)))
          (local.set $x (f64.load (i32.add (i32.add (local.get $A) (i32.mul (local.get $p) (local.get $mb))) (i32.shl (local.get $q) (i32.const 3)))))
          (local.set $fro (f64.add (local.get $fro) (f64.mul (local.get $x) (local.get $x))))
          (if (i32.ne (local.get $p) (local.get $q)) (then (local.set $off (f64.add (local.get $off) (f64.mul (local.get $x) (local.get $x))))))
          (local.set $q (i32.add (local.get $q) (i32.const 1)))
          (br $n2)))
        (local.set $p (i32.add (local.get $p) (i32.const 1)))
        (br $nl)))
      (br_if $sweeps_done (f64.le (local.get $off) (f64.mul (f64.const 1e-28) (local.get $fro))))
      (local.set $p (i32.const 0))
      (block $p_done (loop $pl
        (br_if $p_done (i32.ge_s (local.get $p) (local.get $m)))
        (local.set $q (i32.add (local.get $p) (i32.const 1)))
        (block $q_done (loop $ql
          (br_if $q_done (i32.ge_s (local.get $q) (local.get $m)))
          (local.set $apq (f64.load (i32.add (i32.add (local.get $A) (i32.mul (local.get $p) (local.get $mb))) (i32.shl (local.get $q) (i32.const 3)))))
          (if (f64.ne (local.get $apq) (f64.const 0)) (then
            (local.set $pp (i32.add (i32.add (local.get $A) (i32.mul (local.get $p) (local.get $mb))) (i32.shl (local.get $p) (i32.const 3))))
            (local.set $qq (i32.add (i32.add (local.get $A) (i32.mul (local.get $q) (local.get $mb))) (i32.shl (local.get $q) (i32.const 3))))
            (local.set $th (f64.div (f64.sub (f64.load (local.get $qq)) (f64.load (local.get $pp))) (f64.mul (f64.const 2) (local.get $apq))))
            (local.set $t (f64.div (f64.const 1) (f64.add (f64.abs (local.get $th)) (f64.sqrt (f64.add (f64.mul (local.get $th) (local.get $th)) (f64.const 1))))))
            (if (f64.lt (local.get $th) (f64.const 0)) (then (local.set $t (f64.neg (local.get $t)))))
            (local.set $c (f64.div (f64.const 1) (f64.sqrt (f64.add (f64.mul (local.get $t) (local.get $t)) (f64.const 1)))))
            (local.set $s (f64.mul (local.get $t) (local.get $c)))
            ;; columns p, q of A and of Z: (x_p, x_q) <- (c x_p - s x_q, s x_p + c x_q)
            (local.set $r (i32.const 0))
            (block $c_done (loop $cl
              (br_if $c_done (i32.ge_s (local.get $r) (local.get $m)))
              (local.set $pp (i32.add (i32.add (local.get $A) (i32.mul (local.get $r) (local.get $mb))) (i32.shl (local.get $p) (i32.const 3))))
              (local.set $qq (i32.add (i32.add (local.get $A) (i32.mul (local.get $r) (local.get $mb))) (i32.shl (local.get $q) (i32.const 3))))
              (local.set $u (f64.load (local.get $pp)))
              (local.set $v (f64.load (local.get $qq)))
              (f64.store (local.get $pp) (f64.sub (f64.mul (local.get $c) (local.get $u)) (f64.mul (local.get $s) (local.get $v))))
              (f64.store (local.get $qq) (f64.add (f64.mul (local.get $s) (local.get $u)) (f64.mul (local.get $c) (local.get $v))))
              (local.set $pp (i32.add (i32.add (local.get $Z) (i32.mul (local.get $r) (local.get $mb))) (i32.shl (local.get $p) (i32.const 3))))
              (local.set $qq (i32.add (i32.add (local.get $Z) (i32.mul (local.get $r) (local.get $mb))) (i32.shl (local.get $q) (i32.const 3))))
              (local.set $u (f64.load (local.get $pp)))
              (local.set $v (f64.load (local.get $qq)))
              (f64.store (local.get $pp) (f64.sub (f64.mul (local.get $c) (local.get $u)) (f64.mul (local.get $s) (local.get $v))))
              (f64.store (local.get $qq) (f64.add (f64.mul (local.get $s) (local.get $u)) (f64.mul (local.get $c) (local.get $v))))
              (local.set $r (i32.add (local.get $r) (i32.const 1)))
              (br $cl)))
            ;; rows p, q of A
            (local.set $r (i32.const 0))
            (block $r_done (loop $rl
              (br_if $r_done (i32.ge_s (local.get $r) (local.get $m)))
              (local.set $pp (i32.add (i32.add (local.get $A) (i32.mul (local.get $p) (local.get $mb))) (i32.shl (local.get $r) (i32.const 3))))
              (local.set $qq (i32.add (i32.add (local.get $A) (i32.mul (local.get $q) (local.get $mb))) (i32.shl (local.get $r) (i32.const 3))))
              (local.set $u (f64.load (local.get $pp)))
              (local.set $v (f64.load (local.get $qq)))
              (f64.store (local.get $pp) (f64.sub (f64.mul (local.get $c) (local.get $u)) (f64.mul (local.get $s) (local.get $v))))
              (f64.store (local.get $qq) (f64.add (f64.mul (local.get $s) (local.get $u)) (f64.mul (local.get $c) (local.get $v))))
              (local.set $r (i32.add (local.get $r) (i32.const 1)))
              (br $rl)))))
          (local.set $q (i32.add (local.get $q) (i32.const 1)))
          (br $ql)))
        (local.set $p (i32.add (local.get $p) (i32.const 1)))
        (br $pl)))
      (local.set $sweep (i32.add (local.get $sweep) (i32.const 1)))
      (br $sweeps)))
    (local.get $sweep))

  ;; out[i] = X_i[0..m) . z for each row i of X (n x k row-major): a vector of the basis.
  (func (export "combine") (param $n i32) (param $k i32) (param $m i32) (param $X i32) (param $z i32) (param $out i32)
    (local $i i32) (local $kb i32)
    (local.set $kb (i32.shl (local.get $k) (i32.const 3)))
    (local.set $i (i32.const 0))
    (block $done (loop $l
      (br_if $done (i32.ge_s (local.get $i) (local.get $n)))
      (f64.store (i32.add (local.get $out) (i32.shl (local.get $i) (i32.const 3)))
        (call $dot (i32.add (local.get $X) (i32.mul (local.get $i) (local.get $kb))) (local.get $z) (local.get $m)))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br $l))))

  ;; y_i = C_ii + v_i . sum_{j != i} C_ij v_j; returns sum_i y_i = <C, V V'>.
  (func (export "multipliers") (param $n i32) (param $k i32) (param $rowPtr i32) (param $col i32) (param $val i32) (param $diag i32) (param $V i32) (param $y i32) (param $g i32) (result f64)
    (local $i i32) (local $yi f64) (local $total f64) (local $kb i32)
    (local.set $kb (i32.shl (local.get $k) (i32.const 3)))
    (local.set $total (f64.const 0))
    (local.set $i (i32.const 0))
    (block $done (loop $rows
      (br_if $done (i32.ge_s (local.get $i) (local.get $n)))
      (call $field (local.get $rowPtr) (local.get $col) (local.get $val) (local.get $V) (local.get $k) (local.get $i) (local.get $g))
      (local.set $yi (f64.add (f64.load (i32.add (local.get $diag) (i32.shl (local.get $i) (i32.const 3))))
        (call $dot (local.get $g) (i32.add (local.get $V) (i32.mul (local.get $i) (local.get $kb))) (local.get $k))))
      (f64.store (i32.add (local.get $y) (i32.shl (local.get $i) (i32.const 3))) (local.get $yi))
      (local.set $total (f64.add (local.get $total) (local.get $yi)))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br $rows)))
    (local.get $total))

  ;; out = C X (n x k), diagonal included: the product behind the Riemannian gradient (-2 C V,
  ;; projected) and the Hessian-vector product.
  (func (export "applyC") (param $n i32) (param $k i32) (param $rowPtr i32) (param $col i32) (param $val i32) (param $diag i32) (param $X i32) (param $out i32)
    (local $i i32) (local $o i32) (local $x i32) (local $d v128) (local $r i32) (local $kb i32) (local $k2b i32)
    (local.set $kb (i32.shl (local.get $k) (i32.const 3)))
    (local.set $k2b (i32.shl (i32.and (local.get $k) (i32.const -2)) (i32.const 3)))
    (local.set $i (i32.const 0))
    (block $done (loop $rows
      (br_if $done (i32.ge_s (local.get $i) (local.get $n)))
      (local.set $o (i32.add (local.get $out) (i32.mul (local.get $i) (local.get $kb))))
      (local.set $x (i32.add (local.get $X) (i32.mul (local.get $i) (local.get $kb))))
      (call $field (local.get $rowPtr) (local.get $col) (local.get $val) (local.get $X) (local.get $k) (local.get $i) (local.get $o))
      (local.set $d (f64x2.splat (f64.load (i32.add (local.get $diag) (i32.shl (local.get $i) (i32.const 3))))))
      (local.set $r (i32.const 0))
      (block $w_done (loop $w
        (br_if $w_done (i32.ge_u (local.get $r) (local.get $k2b)))
        (v128.store (i32.add (local.get $o) (local.get $r))
          (f64x2.add (v128.load (i32.add (local.get $o) (local.get $r))) (f64x2.mul (local.get $d) (v128.load (i32.add (local.get $x) (local.get $r))))))
        (local.set $r (i32.add (local.get $r) (i32.const 16)))
        (br $w)))
      (if (i32.lt_u (local.get $r) (local.get $kb)) (then
        (f64.store (i32.add (local.get $o) (local.get $r))
          (f64.add (f64.load (i32.add (local.get $o) (local.get $r))) (f64.mul (f64x2.extract_lane 0 (local.get $d)) (f64.load (i32.add (local.get $x) (local.get $r))))))))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br $rows))))

;; The Riemannian Hessian-vector product of F(V) = -<C, V V'> on the product of spheres:
  ;; out_i = 2 P_i (S U)_i with S = Diag(y) - C and P_i = I - v_i v_i' (U tangent at V).
  (func (export "hessian") (param $n i32) (param $k i32) (param $rowPtr i32) (param $col i32) (param $val i32) (param $diag i32) (param $V i32) (param $y i32) (param $U i32) (param $out i32)
    (local $i i32) (local $o i32) (local $u i32) (local $v i32) (local $r i32) (local $kb i32) (local $k2b i32)
    (local $d v128) (local $s v128) (local $acc v128) (local $dot f64) (local $dd v128) (local $two v128)
    (local.set $kb (i32.shl (local.get $k) (i32.const 3)))
    (local.set $k2b (i32.shl (i32.and (local.get $k) (i32.const -2)) (i32.const 3)))
    (local.set $two (f64x2.splat (f64.const 2)))
    (local.set $i (i32.const 0))
    (block $done (loop $rows
      (br_if $done (i32.ge_s (local.get $i) (local.get $n)))
      (local.set $o (i32.add (local.get $out) (i32.mul (local.get $i) (local.get $kb))))
      (local.set $u (i32.add (local.get $U) (i32.mul (local.get $i) (local.get $kb))))
      (local.set $v (i32.add (local.get $V) (i32.mul (local.get $i) (local.get $kb))))
      (call $field (local.get $rowPtr) (local.get $col) (local.get $val) (local.get $U) (local.get $k) (local.get $i) (local.get $o))
      ;; s = (y_i - C_ii) u_i - field, written to out; dot = s . v_i
      (local.set $d (f64x2.splat (f64.sub (f64.load (i32.add (local.get $y) (i32.shl (local.get $i) (i32.const 3))))
                                          (f64.load (i32.add (local.get $diag) (i32.shl (local.get $i) (i32.const 3)))))))
      (local.set $acc (f64x2.splat (f64.const 0)))
      (local.set $r (i32.const 0))
      (block $a_done (loop $a
        (br_if $a_done (i32.ge_u (local.get $r) (local.get $k2b)))
        (local.set $s (f64x2.sub (f64x2.mul (local.get $d) (v128.load (i32.add (local.get $u) (local.get $r)))) (v128.load (i32.add (local.get $o) (local.get $r)))))
        (v128.store (i32.add (local.get $o) (local.get $r)) (local.get $s))
        (local.set $acc (f64x2.add (local.get $acc) (f64x2.mul (local.get $s) (v128.load (i32.add (local.get $v) (local.get $r))))))
        (local.set $r (i32.add (local.get $r) (i32.const 16)))
        (br $a)))
      (local.set $dot (call $hsum (local.get $acc)))
      (if (i32.lt_u (local.get $r) (local.get $kb)) (then
        (f64.store (i32.add (local.get $o) (local.get $r))
          (f64.sub (f64.mul (f64x2.extract_lane 0 (local.get $d)) (f64.load (i32.add (local.get $u) (local.get $r)))) (f64.load (i32.add (local.get $o) (local.get $r)))))
        (local.set $dot (f64.add (local.get $dot) (f64.mul (f64.load (i32.add (local.get $o) (local.get $r))) (f64.load (i32.add (local.get $v) (local.get $r))))))))
      ;; out = 2 (s - dot v_i)
      (local.set $dd (f64x2.splat (local.get $dot)))
      (local.set $r (i32.const 0))
      (block $b_done (loop $b
        (br_if $b_done (i32.ge_u (local.get $r) (local.get $k2b)))
        (v128.store (i32.add (local.get $o) (local.get $r))
          (f64x2.mul (local.get $two) (f64x2.sub (v128.load (i32.add (local.get $o) (local.get $r))) (f64x2.mul (local.get $dd) (v128.load (i32.add (local.get $v) (local.get $r)))))))
        (local.set $r (i32.add (local.get $r) (i32.const 16)))
        (br $b)))
      (if (i32.lt_u (local.get $r) (local.get $kb)) (then
        (f64.store (i32.add (local.get $o) (local.get $r))
          (f64.mul (f64.const 2) (f64.sub (f64.load (i32.add (local.get $o) (local.get $r))) (f64.mul (local.get $dot) (f64.load (i32.add (local.get $v) (local.get $r)))))))))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br $rows))))

  ;; s - row_a[0..m) . row_b[0..m)
  (func $sub_dot (param $s f64) (param $a i32) (param $b i32) (param $m i32) (result f64)
    (f64.sub (local.get $s) (call $dot (local.get $a) (local.get $b) (local.get $m))))

  ;; Row i of the factor from column `from` on (columns before `from` already done), then its
  ;; pivot A_ii + d - |L_i|^2; 0 if that is not positive.
  (func $finish_row (param $A i32) (param $n i32) (param $i i32) (param $from i32) (param $d f64) (param $inv i32) (result i32)
    (local $ri i32) (local $rj i32) (local $j i32) (local $s f64) (local $nb i32)
    (local.set $nb (i32.shl (local.get $n) (i32.const 3)))
    (local.set $ri (i32.add (local.get $A) (i32.mul (local.get $i) (local.get $nb))))
    (local.set $j (local.get $from))
    (block $done (loop $cols
      (br_if $done (i32.ge_s (local.get $j) (local.get $i)))
      (local.set $rj (i32.add (local.get $A) (i32.mul (local.get $j) (local.get $nb))))
      (local.set $s (call $sub_dot (f64.load (i32.add (local.get $ri) (i32.shl (local.get $j) (i32.const 3)))) (local.get $ri) (local.get $rj) (local.get $j)))
      (f64.store (i32.add (local.get $ri) (i32.shl (local.get $j) (i32.const 3)))
        (f64.mul (local.get $s) (f64.load (i32.add (local.get $inv) (i32.shl (local.get $j) (i32.const 3))))))
      (local.set $j (i32.add (local.get $j) (i32.const 1)))
      (br $cols)))
    (local.set $s (call $sub_dot (f64.add (f64.load (i32.add (local.get $ri) (i32.shl (local.get $i) (i32.const 3)))) (local.get $d)) (local.get $ri) (local.get $ri) (local.get $i)))
    (if (i32.eqz (f64.gt (local.get $s) (f64.const 0))) (then (return (i32.const 0))))
    (local.set $s (f64.sqrt (local.get $s)))
    (f64.store (i32.add (local.get $ri) (i32.shl (local.get $i) (i32.const 3))) (local.get $s))
    (f64.store (i32.add (local.get $inv) (i32.shl (local.get $i) (i32.const 3))) (f64.div (f64.const 1) (local.get $s)))
    (i32.const 1))

  ;; One row's entries j, j+1 of the factor (at p = &A_aj) from its dots s (against row j, over
  ;; 0..j) and t (against row j+1, over 0..j): L_aj = (A_aj - s) inv_j, then
  ;; L_a,j+1 = (A_a,j+1 - t - L_aj L_j+1,j) inv_j+1.
  (func $pair (param $p i32) (param $s v128) (param $t v128) (param $ij f64) (param $ik f64) (param $lkj f64)
    (local $laj f64)
    (local.set $laj (f64.mul (f64.sub (f64.load (local.get $p)) (call $hsum (local.get $s))) (local.get $ij)))
    (f64.store (local.get $p) (local.get $laj))
    (f64.store offset=8 (local.get $p)
      (f64.mul (f64.sub (f64.sub (f64.load offset=8 (local.get $p)) (call $hsum (local.get $t))) (f64.mul (local.get $laj) (local.get $lkj))) (local.get $ik))))

  ;; In-place Cholesky of A + d I (n x n row-major; the lower triangle is read and overwritten by
  ;; L). inv is n scratch doubles (reciprocal pivots). 1 when every pivot was positive, else 0.
  (func (export "cholesky") (param $A i32) (param $n i32) (param $d f64) (param $inv i32) (result i32)
    (local $i i32) (local $j i32) (local $m i32) (local $nb i32) (local $mb i32) (local $m2b i32)
    (local $r0 i32) (local $r1 i32) (local $r2 i32) (local $r3 i32) (local $rj i32) (local $t i32)
    (local $s0 v128) (local $s1 v128) (local $s2 v128) (local $s3 v128) (local $l v128)
    (local $ij f64) (local $ik f64) (local $lkj f64) (local $rk i32)
    (local $t0 v128) (local $t1 v128) (local $t2 v128) (local $t3 v128) (local $lk v128) (local $x v128)
    (local.set $nb (i32.shl (local.get $n) (i32.const 3)))
    (local.set $i (i32.const 0))
    (block $blocks_done (loop $blocks
      (br_if $blocks_done (i32.gt_s (i32.add (local.get $i) (i32.const 4)) (local.get $n)))
      (local.set $r0 (i32.add (local.get $A) (i32.mul (local.get $i) (local.get $nb))))
      (local.set $r1 (i32.add (local.get $r0) (local.get $nb)))
      (local.set $r2 (i32.add (local.get $r1) (local.get $nb)))
      (local.set $r3 (i32.add (local.get $r2) (local.get $nb)))
      ;; columns j, j+1 of the four rows at once (i is a multiple of 4, so pairs cover 0..i): the
      ;; dots over 0..j against rows j and j+1 in eight accumulators (each v128 of the four rows
      ;; feeds two products), then L_aj, and L_a,j+1 with its last product L_aj L_j+1,j
      (local.set $j (i32.const 0))
      (block $cols_done (loop $cols
        (br_if $cols_done (i32.ge_s (local.get $j) (local.get $i)))
        (local.set $rj (i32.add (local.get $A) (i32.mul (local.get $j) (local.get $nb))))
        (local.set $rk (i32.add (local.get $rj) (local.get $nb)))
        (local.set $mb (i32.shl (local.get $j) (i32.const 3)))
        (local.set $s0 (f64x2.splat (f64.const 0)))
        (local.set $s1 (f64x2.splat (f64.const 0)))
        (local.set $s2 (f64x2.splat (f64.const 0)))
        (local.set $s3 (f64x2.splat (f64.const 0)))
        (local.set $t0 (f64x2.splat (f64.const 0)))
        (local.set $t1 (f64x2.splat (f64.const 0)))
        (local.set $t2 (f64x2.splat (f64.const 0)))
        (local.set $t3 (f64x2.splat (f64.const 0)))
        (local.set $m (i32.const 0))
        (block $dot_done (loop $dot4
          (br_if $dot_done (i32.ge_u (local.get $m) (local.get $mb)))
          (local.set $l (v128.load (i32.add (local.get $rj) (local.get $m))))
          (local.set $lk (v128.load (i32.add (local.get $rk) (local.get $m))))
          (local.set $x (v128.load (i32.add (local.get $r0) (local.get $m))))
          (local.set $s0 (f64x2.add (local.get $s0) (f64x2.mul (local.get $x) (local.get $l))))
          (local.set $t0 (f64x2.add (local.get $t0) (f64x2.mul (local.get $x) (local.get $lk))))
          (local.set $x (v128.load (i32.add (local.get $r1) (local.get $m))))
          (local.set $s1 (f64x2.add (local.get $s1) (f64x2.mul (local.get $x) (local.get $l))))
          (local.set $t1 (f64x2.add (local.get $t1) (f64x2.mul (local.get $x) (local.get $lk))))
          (local.set $x (v128.load (i32.add (local.get $r2) (local.get $m))))
          (local.set $s2 (f64x2.add (local.get $s2) (f64x2.mul (local.get $x) (local.get $l))))
          (local.set $t2 (f64x2.add (local.get $t2) (f64x2.mul (local.get $x) (local.get $lk))))
          (local.set $x (v128.load (i32.add (local.get $r3) (local.get $m))))
          (local.set $s3 (f64x2.add (local.get $s3) (f64x2.mul (local.get $x) (local.get $l))))
          (local.set $t3 (f64x2.add (local.get $t3) (f64x2.mul (local.get $x) (local.get $lk))))
          (local.set $m (i32.add (local.get $m) (i32.const 16)))
          (br $dot4)))
        (local.set $ij (f64.load (i32.add (local.get $inv) (local.get $mb))))
        (local.set $ik (f64.load (i32.add (local.get $inv) (i32.add (local.get $mb) (i32.const 8)))))
        (local.set $lkj (f64.load (i32.add (local.get $rk) (local.get $mb))))
        (call $pair (i32.add (local.get $r0) (local.get $mb)) (local.get $s0) (local.get $t0) (local.get $ij) (local.get $ik) (local.get $lkj))
        (call $pair (i32.add (local.get $r1) (local.get $mb)) (local.get $s1) (local.get $t1) (local.get $ij) (local.get $ik) (local.get $lkj))
        (call $pair (i32.add (local.get $r2) (local.get $mb)) (local.get $s2) (local.get $t2) (local.get $ij) (local.get $ik) (local.get $lkj))
        (call $pair (i32.add (local.get $r3) (local.get $mb)) (local.get $s3) (local.get $t3) (local.get $ij) (local.get $ik) (local.get $lkj))
        (local.set $j (i32.add (local.get $j) (i32.const 2)))
        (br $cols)))
      ;; the triangle inside the block of four, row by row
      (local.set $t (local.get $i))
      (block $tri_done (loop $tri
        (br_if $tri_done (i32.ge_s (local.get $t) (i32.add (local.get $i) (i32.const 4))))
        (if (i32.eqz (call $finish_row (local.get $A) (local.get $n) (local.get $t) (local.get $i) (local.get $d) (local.get $inv))) (then (return (i32.const 0))))
        (local.set $t (i32.add (local.get $t) (i32.const 1)))
        (br $tri)))
      (local.set $i (i32.add (local.get $i) (i32.const 4)))
      (br $blocks)))
    (block $rest_done (loop $rest
      (br_if $rest_done (i32.ge_s (local.get $i) (local.get $n)))
      (if (i32.eqz (call $finish_row (local.get $A) (local.get $n) (local.get $i) (i32.const 0) (local.get $d) (local.get $inv))) (then (return (i32.const 0))))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br $rest)))
    (i32.const 1))
)

