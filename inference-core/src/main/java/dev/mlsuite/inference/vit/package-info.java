/**
 * Vision transformer building blocks with Hugging Face (CLIP) parameter names: a per-window ViT
 * encoder, shifted-window attention across windows, TextMonkey's similarity-based token filter and
 * a cross-attention resampler.
 */
package dev.mlsuite.inference.vit;
