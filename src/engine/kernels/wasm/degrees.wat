;; The window sums and minima of degree sharing (degreeGram.ts) in WebAssembly SIMD, float64: on
;; the product matrix G of one image pair, per degree: H = S_r·G·S_rᵀ as four passes of sums
;; along one grid axis, then both directions' minima of ‖z_p‖² + ‖z_q‖² − 2·H_pq/(‖u_p‖‖u_q‖).
;; Two float64 lanes per operation; runs of odd length end with one scalar step.
(module
  (memory (import "env" "memory") 1)

  ;; dst[p·P + q] = src[p·rowStride + q] (float32 to float64), for p, q < P
  (func (export "widen") (param $src i32) (param $rowStride i32) (param $P i32) (param $dst i32)
    (local $p i32) (local $q i32) (local $from i32)
    (loop $rows
      (local.set $from (i32.add (local.get $src) (i32.shl (i32.mul (local.get $p) (local.get $rowStride)) (i32.const 2))))
      (local.set $q (i32.const 0))
      (loop $cols
        (f64.store (local.get $dst) (f64.promote_f32 (f32.load (i32.add (local.get $from) (i32.shl (local.get $q) (i32.const 2))))))
        (local.set $dst (i32.add (local.get $dst) (i32.const 8)))
        (br_if $cols (i32.lt_u (local.tee $q (i32.add (local.get $q) (i32.const 1))) (local.get $P))))
      (br_if $rows (i32.lt_u (local.tee $p (i32.add (local.get $p) (i32.const 1))) (local.get $P)))))

  ;; dst[at..at+len) = src[from..from+len) + … over the window's runs, `step` bytes apart
  (func $sumRuns (param $src i32) (param $dst i32) (param $len i32) (param $count i32) (param $step i32)
    (local $i i32) (local $f i32) (local $end i32) (local $acc v128) (local $one f64)
    (local.set $end (i32.and (local.get $len) (i32.const -2)))
    (block $pairsDone
      (br_if $pairsDone (i32.eqz (local.get $end)))
      (loop $pairs
        (local.set $f (i32.add (local.get $src) (i32.shl (local.get $i) (i32.const 3))))
        (local.set $acc (v128.load (local.get $f)))
        (block $done
          (loop $window
            (br_if $done (i32.ge_u
              (local.get $f)
              (i32.add (local.get $src) (i32.add (i32.shl (local.get $i) (i32.const 3))
                (i32.mul (i32.sub (local.get $count) (i32.const 1)) (local.get $step))))))
            (local.set $f (i32.add (local.get $f) (local.get $step)))
            (local.set $acc (f64x2.add (local.get $acc) (v128.load (local.get $f))))
            (br $window)))
        (v128.store (i32.add (local.get $dst) (i32.shl (local.get $i) (i32.const 3))) (local.get $acc))
        (br_if $pairs (i32.lt_u (local.tee $i (i32.add (local.get $i) (i32.const 2))) (local.get $end)))))
    (if (i32.lt_u (local.get $end) (local.get $len))
      (then
        (local.set $f (i32.add (local.get $src) (i32.shl (local.get $end) (i32.const 3))))
        (local.set $one (f64.load (local.get $f)))
        (local.set $i (i32.const 1))
        (block $done
          (loop $window
            (br_if $done (i32.ge_u (local.get $i) (local.get $count)))
            (local.set $f (i32.add (local.get $f) (local.get $step)))
            (local.set $one (f64.add (local.get $one) (f64.load (local.get $f))))
            (local.set $i (i32.add (local.get $i) (i32.const 1)))
            (br $window)))
        (f64.store (i32.add (local.get $dst) (i32.shl (local.get $end) (i32.const 3))) (local.get $one)))))

  ;; The same along the last axis of a [outer, n] array: a sliding sum per row.
  (func $windowLast (param $src i32) (param $dst i32) (param $outer i32) (param $n i32) (param $radius i32)
    (local $o i32) (local $k i32) (local $row i32) (local $out i32) (local $sum f64)
    (loop $outers
      (local.set $row (i32.add (local.get $src) (i32.shl (i32.mul (local.get $o) (local.get $n)) (i32.const 3))))
      (local.set $out (i32.add (local.get $dst) (i32.shl (i32.mul (local.get $o) (local.get $n)) (i32.const 3))))
      (local.set $sum (f64.const 0))
      (local.set $k (i32.const 0))
      (block $primed
        (loop $prime
          (br_if $primed (i32.ge_s (local.get $k) (select (local.get $radius) (local.get $n)
            (i32.lt_s (local.get $radius) (local.get $n)))))
          (local.set $sum (f64.add (local.get $sum) (f64.load (i32.add (local.get $row) (i32.shl (local.get $k) (i32.const 3))))))
          (local.set $k (i32.add (local.get $k) (i32.const 1)))
          (br $prime)))
      (local.set $k (i32.const 0))
      (loop $steps
        (if (i32.lt_s (i32.add (local.get $k) (local.get $radius)) (local.get $n))
          (then (local.set $sum (f64.add (local.get $sum)
            (f64.load (i32.add (local.get $row) (i32.shl (i32.add (local.get $k) (local.get $radius)) (i32.const 3))))))))
        (f64.store (i32.add (local.get $out) (i32.shl (local.get $k) (i32.const 3))) (local.get $sum))
        (if (i32.ge_s (i32.sub (local.get $k) (local.get $radius)) (i32.const 0))
          (then (local.set $sum (f64.sub (local.get $sum)
            (f64.load (i32.add (local.get $row) (i32.shl (i32.sub (local.get $k) (local.get $radius)) (i32.const 3))))))))
        (br_if $steps (i32.lt_u (local.tee $k (i32.add (local.get $k) (i32.const 1))) (local.get $n))))
      (br_if $outers (i32.lt_u (local.tee $o (i32.add (local.get $o) (i32.const 1))) (local.get $outer)))))

  ;; Along the middle axis of a [outer, n, inner] float64 array: each step k gets the sum over
  ;; steps max(0, k − radius) … min(n − 1, k + radius).
  (func (export "window")
    (param $src i32) (param $dst i32) (param $outer i32) (param $n i32) (param $inner i32) (param $radius i32)
    (local $o i32) (local $k i32) (local $from i32) (local $to i32) (local $runBytes i32) (local $base i32)
    (if (i32.eq (local.get $inner) (i32.const 1))
      (then
        (call $windowLast (local.get $src) (local.get $dst) (local.get $outer) (local.get $n) (local.get $radius))
        (return)))
    (local.set $runBytes (i32.shl (local.get $inner) (i32.const 3)))
    (loop $outers
      (local.set $base (i32.mul (i32.mul (local.get $o) (local.get $n)) (local.get $runBytes)))
      (local.set $k (i32.const 0))
      (loop $steps
        (local.set $from (select (i32.sub (local.get $k) (local.get $radius)) (i32.const 0)
          (i32.gt_s (i32.sub (local.get $k) (local.get $radius)) (i32.const 0))))
        (local.set $to (select (i32.add (local.get $k) (local.get $radius)) (i32.sub (local.get $n) (i32.const 1))
          (i32.lt_s (i32.add (local.get $k) (local.get $radius)) (i32.sub (local.get $n) (i32.const 1)))))
        (call $sumRuns
          (i32.add (local.get $src) (i32.add (local.get $base) (i32.mul (local.get $from) (local.get $runBytes))))
          (i32.add (local.get $dst) (i32.add (local.get $base) (i32.mul (local.get $k) (local.get $runBytes))))
          (local.get $inner)
          (i32.add (i32.sub (local.get $to) (local.get $from)) (i32.const 1))
          (local.get $runBytes))
        (br_if $steps (i32.lt_u (local.tee $k (i32.add (local.get $k) (i32.const 1))) (local.get $n))))
      (br_if $outers (i32.lt_u (local.tee $o (i32.add (local.get $o) (i32.const 1))) (local.get $outer)))))

  ;; rows[p] = min_q (unitB[q] + t_pq) + unitA[p] and cols[q] = min_p (unitA[p] + t_pq) + unitB[q],
  ;; t_pq = −2·invA[p]·h[p·P + q]·invB[q]: squared distances, before the clamp and square root.
  (func (export "minima")
    (param $h i32) (param $P i32) (param $invA i32) (param $unitA i32) (param $invB i32) (param $unitB i32)
    (param $rows i32) (param $cols i32)
    (local $p i32) (local $q i32) (local $end i32) (local $scale v128) (local $selfA v128) (local $t v128)
    (local $best v128) (local $at i32) (local $one f64) (local $bestOne f64)
    (local.set $end (i32.and (local.get $P) (i32.const -2)))
    ;; cols start at +∞
    (local.set $q (i32.const 0))
    (loop $init
      (f64.store (i32.add (local.get $cols) (i32.shl (local.get $q) (i32.const 3))) (f64.const inf))
      (br_if $init (i32.lt_u (local.tee $q (i32.add (local.get $q) (i32.const 1))) (local.get $P))))
    (loop $rowsLoop
      (local.set $scale (f64x2.splat (f64.mul (f64.const -2)
        (f64.load (i32.add (local.get $invA) (i32.shl (local.get $p) (i32.const 3)))))))
      (local.set $selfA (f64x2.splat (f64.load (i32.add (local.get $unitA) (i32.shl (local.get $p) (i32.const 3))))))
      (local.set $best (f64x2.splat (f64.const inf)))
      (local.set $q (i32.const 0))
      (block $pairsDone
        (br_if $pairsDone (i32.eqz (local.get $end)))
        (loop $pairs
          (local.set $at (i32.shl (local.get $q) (i32.const 3)))
          (local.set $t (f64x2.mul
            (f64x2.mul (local.get $scale)
              (v128.load (i32.add (local.get $h) (i32.shl (i32.add (i32.mul (local.get $p) (local.get $P)) (local.get $q)) (i32.const 3)))))
            (v128.load (i32.add (local.get $invB) (local.get $at)))))
          (local.set $best (f64x2.min (local.get $best)
            (f64x2.add (v128.load (i32.add (local.get $unitB) (local.get $at))) (local.get $t))))
          (v128.store (i32.add (local.get $cols) (local.get $at))
            (f64x2.min (v128.load (i32.add (local.get $cols) (local.get $at))) (f64x2.add (local.get $selfA) (local.get $t))))
          (br_if $pairs (i32.lt_u (local.tee $q (i32.add (local.get $q) (i32.const 2))) (local.get $end)))))
      (local.set $bestOne (f64.min (f64x2.extract_lane 0 (local.get $best)) (f64x2.extract_lane 1 (local.get $best))))
      (if (i32.lt_u (local.get $end) (local.get $P))
        (then
          (local.set $at (i32.shl (local.get $end) (i32.const 3)))
          (local.set $one (f64.mul
            (f64.mul (f64x2.extract_lane 0 (local.get $scale))
              (f64.load (i32.add (local.get $h) (i32.shl (i32.add (i32.mul (local.get $p) (local.get $P)) (local.get $end)) (i32.const 3)))))
            (f64.load (i32.add (local.get $invB) (local.get $at)))))
          (local.set $bestOne (f64.min (local.get $bestOne)
            (f64.add (f64.load (i32.add (local.get $unitB) (local.get $at))) (local.get $one))))
          (f64.store (i32.add (local.get $cols) (local.get $at))
            (f64.min (f64.load (i32.add (local.get $cols) (local.get $at)))
              (f64.add (f64x2.extract_lane 0 (local.get $selfA)) (local.get $one))))))
      (f64.store (i32.add (local.get $rows) (i32.shl (local.get $p) (i32.const 3)))
        (f64.add (local.get $bestOne) (f64x2.extract_lane 0 (local.get $selfA))))
      (br_if $rowsLoop (i32.lt_u (local.tee $p (i32.add (local.get $p) (i32.const 1))) (local.get $P))))
    ;; cols[q] += unitB[q]
    (local.set $q (i32.const 0))
    (loop $finish
      (local.set $at (i32.shl (local.get $q) (i32.const 3)))
      (f64.store (i32.add (local.get $cols) (local.get $at))
        (f64.add (f64.load (i32.add (local.get $cols) (local.get $at))) (f64.load (i32.add (local.get $unitB) (local.get $at)))))
      (br_if $finish (i32.lt_u (local.tee $q (i32.add (local.get $q) (i32.const 1))) (local.get $P))))))
