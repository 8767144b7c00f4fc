;; MSM's hot loop in WebAssembly SIMD: for one image A (rows) against one image B (cols), the
;; minimum over B's patches of ‖b‖² − 2a·b for every patch a (row minima), and over A's patches
;; of ‖a‖² − 2a·b for every patch b (column minima): both directions of a pair from one pass.
;; Adding ‖a‖² (resp. ‖b‖²) and a square root gives the nearest-patch distances (msm.ts).
;; `gram` runs the same tiles but stores every a·b (float32, row-major) instead of folding it,
;; for the degrees that are derived from one product matrix (degreeGram.ts).
;;
;; A 2-row × 4-column register tile keeps 8 f32x4 accumulators along the feature axis, so each
;; loaded vector serves 2 or 4 products (6 loads per 16 SIMD ops); the 4-row slab of B stays in
;; L1 while every row pair of A streams past it. Edge tiles are clamped to overlap the previous
;; one instead of taking remainder paths: a minimum does not change when a product is seen twice,
;; and a product stored twice is the same value.
;; Preconditions (nearestRows.ts): rows ≥ 2, cols ≥ 4, dim a positive multiple of 4, rows of A
;; and B `dim` floats apart, norms and minima float64, minima preset to +∞.
(module
  (memory (import "env" "memory") 1)
  (global $normsA (mut i32) (i32.const 0))
  (global $normsB (mut i32) (i32.const 0))
  (global $rowMin (mut i32) (i32.const 0))
  (global $colMin (mut i32) (i32.const 0))
  ;; 1 while `gram` runs: products are stored at $gramOut, not folded into minima
  (global $storing (mut i32) (i32.const 0))
  (global $gramOut (mut i32) (i32.const 0))
  (global $gramRowBytes (mut i32) (i32.const 0))

  ;; One tile entry (4 partial sums of a_i · b_j): stored at gram[i][j] by `gram`, else folded
  ;; into rowMin[i] and colMin[j].
  (func $fold (param $acc v128) (param $i i32) (param $j i32)
    (local $twice f64) (local $at i32)
    (local.set $acc (f32x4.add (local.get $acc)
      (i8x16.shuffle 8 9 10 11 12 13 14 15 0 1 2 3 4 5 6 7 (local.get $acc) (local.get $acc))))
    (if (global.get $storing)
      (then
        (f32.store
          (i32.add (global.get $gramOut)
            (i32.add (i32.mul (local.get $i) (global.get $gramRowBytes)) (i32.shl (local.get $j) (i32.const 2))))
          (f32.add (f32x4.extract_lane 0 (local.get $acc)) (f32x4.extract_lane 1 (local.get $acc))))
        (return)))
    (local.set $twice (f64.mul (f64.const -2) (f64.promote_f32
      (f32.add (f32x4.extract_lane 0 (local.get $acc)) (f32x4.extract_lane 1 (local.get $acc))))))
    (local.set $at (i32.add (global.get $rowMin) (i32.shl (local.get $i) (i32.const 3))))
    (f64.store (local.get $at) (f64.min (f64.load (local.get $at))
      (f64.add (f64.load (i32.add (global.get $normsB) (i32.shl (local.get $j) (i32.const 3)))) (local.get $twice))))
    (local.set $at (i32.add (global.get $colMin) (i32.shl (local.get $j) (i32.const 3))))
    (f64.store (local.get $at) (f64.min (f64.load (local.get $at))
      (f64.add (f64.load (i32.add (global.get $normsA) (i32.shl (local.get $i) (i32.const 3)))) (local.get $twice)))))

  (func (export "nearest")
    (param $a i32) (param $rows i32) (param $b i32) (param $cols i32) (param $dim i32)
    (param $normsA i32) (param $normsB i32) (param $rowMin i32) (param $colMin i32)
    (global.set $storing (i32.const 0))
    (global.set $normsA (local.get $normsA))
    (global.set $normsB (local.get $normsB))
    (global.set $rowMin (local.get $rowMin))
    (global.set $colMin (local.get $colMin))
    (call $tiles (local.get $a) (local.get $rows) (local.get $b) (local.get $cols) (local.get $dim)))

  ;; a·b for every row a of A and b of B into out[i·outRowFloats + j] (float32)
  (func (export "gram")
    (param $a i32) (param $rows i32) (param $b i32) (param $cols i32) (param $dim i32)
    (param $out i32) (param $outRowFloats i32)
    (global.set $storing (i32.const 1))
    (global.set $gramOut (local.get $out))
    (global.set $gramRowBytes (i32.shl (local.get $outRowFloats) (i32.const 2)))
    (call $tiles (local.get $a) (local.get $rows) (local.get $b) (local.get $cols) (local.get $dim)))

  (func $tiles
    (param $a i32) (param $rows i32) (param $b i32) (param $cols i32) (param $dim i32)
    (local $rowBytes i32) (local $i i32) (local $j i32) (local $iNext i32) (local $jNext i32) (local $k i32)
    (local $a0 i32) (local $a1 i32) (local $b0 i32) (local $b1 i32) (local $b2 i32) (local $b3 i32)
    (local $x0 v128) (local $x1 v128) (local $y v128)
    (local $s00 v128) (local $s01 v128) (local $s02 v128) (local $s03 v128)
    (local $s10 v128) (local $s11 v128) (local $s12 v128) (local $s13 v128)
    (local.set $rowBytes (i32.shl (local.get $dim) (i32.const 2)))
    (loop $columns
      ;; j = min(jNext, cols − 4): the last slab overlaps the one before it
      (local.set $j (select (local.get $jNext) (i32.sub (local.get $cols) (i32.const 4))
        (i32.le_s (local.get $jNext) (i32.sub (local.get $cols) (i32.const 4)))))
      (local.set $b0 (i32.add (local.get $b) (i32.mul (local.get $j) (local.get $rowBytes))))
      (local.set $b1 (i32.add (local.get $b0) (local.get $rowBytes)))
      (local.set $b2 (i32.add (local.get $b1) (local.get $rowBytes)))
      (local.set $b3 (i32.add (local.get $b2) (local.get $rowBytes)))
      (local.set $iNext (i32.const 0))
      (loop $rowPairs
        (local.set $i (select (local.get $iNext) (i32.sub (local.get $rows) (i32.const 2))
          (i32.le_s (local.get $iNext) (i32.sub (local.get $rows) (i32.const 2)))))
        (local.set $a0 (i32.add (local.get $a) (i32.mul (local.get $i) (local.get $rowBytes))))
        (local.set $a1 (i32.add (local.get $a0) (local.get $rowBytes)))
        (local.set $s00 (v128.const i32x4 0 0 0 0)) (local.set $s01 (v128.const i32x4 0 0 0 0))
        (local.set $s02 (v128.const i32x4 0 0 0 0)) (local.set $s03 (v128.const i32x4 0 0 0 0))
        (local.set $s10 (v128.const i32x4 0 0 0 0)) (local.set $s11 (v128.const i32x4 0 0 0 0))
        (local.set $s12 (v128.const i32x4 0 0 0 0)) (local.set $s13 (v128.const i32x4 0 0 0 0))
        (local.set $k (i32.const 0))
        (loop $features
          (local.set $x0 (v128.load (i32.add (local.get $a0) (local.get $k))))
          (local.set $x1 (v128.load (i32.add (local.get $a1) (local.get $k))))
          (local.set $y (v128.load (i32.add (local.get $b0) (local.get $k))))
          (local.set $s00 (f32x4.add (local.get $s00) (f32x4.mul (local.get $x0) (local.get $y))))
          (local.set $s10 (f32x4.add (local.get $s10) (f32x4.mul (local.get $x1) (local.get $y))))
          (local.set $y (v128.load (i32.add (local.get $b1) (local.get $k))))
          (local.set $s01 (f32x4.add (local.get $s01) (f32x4.mul (local.get $x0) (local.get $y))))
          (local.set $s11 (f32x4.add (local.get $s11) (f32x4.mul (local.get $x1) (local.get $y))))
          (local.set $y (v128.load (i32.add (local.get $b2) (local.get $k))))
          (local.set $s02 (f32x4.add (local.get $s02) (f32x4.mul (local.get $x0) (local.get $y))))
          (local.set $s12 (f32x4.add (local.get $s12) (f32x4.mul (local.get $x1) (local.get $y))))
          (local.set $y (v128.load (i32.add (local.get $b3) (local.get $k))))
          (local.set $s03 (f32x4.add (local.get $s03) (f32x4.mul (local.get $x0) (local.get $y))))
          (local.set $s13 (f32x4.add (local.get $s13) (f32x4.mul (local.get $x1) (local.get $y))))
          (br_if $features (i32.lt_u (local.tee $k (i32.add (local.get $k) (i32.const 16))) (local.get $rowBytes))))
        (call $fold (local.get $s00) (local.get $i) (local.get $j))
        (call $fold (local.get $s01) (local.get $i) (i32.add (local.get $j) (i32.const 1)))
        (call $fold (local.get $s02) (local.get $i) (i32.add (local.get $j) (i32.const 2)))
        (call $fold (local.get $s03) (local.get $i) (i32.add (local.get $j) (i32.const 3)))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (call $fold (local.get $s10) (local.get $i) (local.get $j))
        (call $fold (local.get $s11) (local.get $i) (i32.add (local.get $j) (i32.const 1)))
        (call $fold (local.get $s12) (local.get $i) (i32.add (local.get $j) (i32.const 2)))
        (call $fold (local.get $s13) (local.get $i) (i32.add (local.get $j) (i32.const 3)))
        (br_if $rowPairs (i32.lt_s (local.tee $iNext (i32.add (local.get $iNext) (i32.const 2))) (local.get $rows))))
      (br_if $columns (i32.lt_s (local.tee $jNext (i32.add (local.get $jNext) (i32.const 4))) (local.get $cols))))))
