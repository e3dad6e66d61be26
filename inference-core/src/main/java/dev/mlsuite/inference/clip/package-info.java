/**
 * The CLIP family in the Hugging Face {@code CLIPModel} layout: a ViT image encoder that exposes its
 * patch tokens, a causal text transformer pooled at the end-of-text token, the two projections into
 * the joint space and the logit scale. Parameter names match the checkpoint, so
 * openai/clip-vit-base-patch16 and similar folders load unchanged.
 */
package dev.mlsuite.inference.clip;
