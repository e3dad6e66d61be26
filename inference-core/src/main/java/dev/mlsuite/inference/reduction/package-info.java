/**
 * Token reduction for encoders: ToMe and PiToMe merging between the attention and feed-forward
 * blocks of chosen layers, with token sizes kept for proportional attention and weighted pooling,
 * and TextMonkey's similarity filter. The matching functions work on plain arrays and can be used
 * without a model; {@link dev.mlsuite.inference.reduction.TokenReductionHook} plugs them into the
 * BERT encoder.
 */
package dev.mlsuite.inference.reduction;
