/* The fused pass of direct images with vector instructions (see
 * scene-impl.h): AVX2 when the processor has it (chosen at run time), else
 * SSE2 (every x86-64), else nothing (the scalar loop does it all). Both do
 * exactly the integer arithmetic of scene-render.c:
 *   raw = clamp(base + (noise * amp >> 16), raw_lo, raw_hi)
 *   v   = raw - bias; v = v * (flat >> 13) + (v * (flat & 8191) >> 13)
 *   out = clamp(v + adu, out_lo, out_hi), 16-bit little-endian */
#include "scene-impl.h"
#include "scene-nuc.h"

#if defined(__x86_64__) || defined(__i386__)
#include <immintrin.h>

/* ---- SSE2: eight pixels as two halves of four ------------------------------------ */

struct lanes {
	__m128i zero, rlo, rhi, olo, ohi, adu, fmask, half;
};

static inline __m128i clamp4(__m128i v, __m128i lo, __m128i hi)
{
	__m128i m = _mm_cmplt_epi32(v, lo);

	v = _mm_or_si128(_mm_and_si128(m, lo), _mm_andnot_si128(m, v));
	m = _mm_cmpgt_epi32(v, hi);
	return _mm_or_si128(_mm_and_si128(m, hi), _mm_andnot_si128(m, v));
}

/* Low 32 bits of the products (SSE2 has no pmulld; the low half of an
 * unsigned product is the signed one's). */
static inline __m128i mul4(__m128i a, __m128i b)
{
	__m128i even = _mm_mul_epu32(a, b);
	__m128i odd = _mm_mul_epu32(_mm_srli_epi64(a, 32), _mm_srli_epi64(b, 32));

	return _mm_unpacklo_epi32(_mm_shuffle_epi32(even, _MM_SHUFFLE(0, 0, 2, 0)),
				  _mm_shuffle_epi32(odd, _MM_SHUFFLE(0, 0, 2, 0)));
}

static inline __m128i load8(const void *p)
{
	return _mm_loadu_si128((const __m128i *)p);
}

static inline __attribute__((always_inline)) __m128i
chain4(__m128i v, __m128i bias, __m128i flat, bool use_bias, bool use_flat, const struct lanes *k)
{
	v = clamp4(v, k->rlo, k->rhi);
	if (use_bias)
		v = _mm_sub_epi32(v, bias);
	if (use_flat)
		v = _mm_add_epi32(mul4(v, _mm_srli_epi32(flat, FLAT_SHIFT)),
				  _mm_srai_epi32(mul4(v, _mm_and_si128(flat, k->fmask)), FLAT_SHIFT));
	return clamp4(_mm_add_epi32(v, k->adu), k->olo, k->ohi);
}

static inline __attribute__((always_inline)) size_t
sse2(const struct plan *p, const int16_t *noise, uint8_t *out, bool use_bias, bool use_flat,
     bool is_signed)
{
	struct lanes k = {
		.zero = _mm_setzero_si128(), .rlo = _mm_set1_epi32(p->raw_lo),
		.rhi = _mm_set1_epi32(p->raw_hi), .olo = _mm_set1_epi32(p->out_lo),
		.ohi = _mm_set1_epi32(p->out_hi), .adu = _mm_set1_epi32(p->adu),
		.fmask = _mm_set1_epi32(FLAT_ONE - 1), .half = _mm_set1_epi32(32768),
	};
	__m128i b0 = k.zero, b1 = k.zero, f0 = k.zero, f1 = k.zero, v0, v1, o;
	size_t i = 0;

	for (; i + 8 <= p->n; i += 8) {
		__m128i nz = _mm_mulhi_epi16(load8(noise + i), load8(p->amp + i)), base = load8(p->base + i);

		v0 = _mm_add_epi32(_mm_unpacklo_epi16(base, k.zero),
				   _mm_srai_epi32(_mm_unpacklo_epi16(nz, nz), 16));
		v1 = _mm_add_epi32(_mm_unpackhi_epi16(base, k.zero),
				   _mm_srai_epi32(_mm_unpackhi_epi16(nz, nz), 16));
		if (use_bias) {
			__m128i b = load8(p->bias + i);

			b0 = _mm_unpacklo_epi16(b, k.zero);
			b1 = _mm_unpackhi_epi16(b, k.zero);
		}
		if (use_flat) {
			__m128i f = load8(p->flat + i);

			f0 = _mm_unpacklo_epi16(f, k.zero);
			f1 = _mm_unpackhi_epi16(f, k.zero);
		}
		v0 = chain4(v0, b0, f0, use_bias, use_flat, &k);
		v1 = chain4(v1, b1, f1, use_bias, use_flat, &k);
		if (is_signed)
			o = _mm_packs_epi32(v0, v1);
		else /* 0..65535: shift to the signed range, pack, shift back */
			o = _mm_xor_si128(_mm_packs_epi32(_mm_sub_epi32(v0, k.half), _mm_sub_epi32(v1, k.half)),
					  _mm_set1_epi16(-32768));
		_mm_storeu_si128((__m128i *)(out + 2 * i), o);
	}
	return i;
}

/* ---- AVX2: eight pixels in one register ------------------------------------------------ */

#define AVX2 __attribute__((target("avx2")))

static inline AVX2 __attribute__((always_inline)) size_t
avx2(const struct plan *p, const int16_t *noise, uint8_t *out, bool use_bias, bool use_flat,
     bool is_signed)
{
	__m256i rlo = _mm256_set1_epi32(p->raw_lo), rhi = _mm256_set1_epi32(p->raw_hi);
	__m256i olo = _mm256_set1_epi32(p->out_lo), ohi = _mm256_set1_epi32(p->out_hi);
	__m256i adu = _mm256_set1_epi32(p->adu), fmask = _mm256_set1_epi32(FLAT_ONE - 1);
	size_t i = 0;

	for (; i + 8 <= p->n; i += 8) {
		__m128i nz = _mm_mulhi_epi16(load8(noise + i), load8(p->amp + i)), o;
		__m256i v = _mm256_add_epi32(_mm256_cvtepu16_epi32(load8(p->base + i)),
					     _mm256_cvtepi16_epi32(nz));

		v = _mm256_min_epi32(_mm256_max_epi32(v, rlo), rhi);
		if (use_bias)
			v = _mm256_sub_epi32(v, _mm256_cvtepu16_epi32(load8(p->bias + i)));
		if (use_flat) {
			__m256i f = _mm256_cvtepu16_epi32(load8(p->flat + i));

			v = _mm256_add_epi32(_mm256_mullo_epi32(v, _mm256_srli_epi32(f, FLAT_SHIFT)),
					     _mm256_srai_epi32(_mm256_mullo_epi32(v, _mm256_and_si256(f, fmask)),
							       FLAT_SHIFT));
		}
		v = _mm256_min_epi32(_mm256_max_epi32(_mm256_add_epi32(v, adu), olo), ohi);
		if (is_signed)
			o = _mm_packs_epi32(_mm256_castsi256_si128(v), _mm256_extracti128_si256(v, 1));
		else
			o = _mm_packus_epi32(_mm256_castsi256_si128(v), _mm256_extracti128_si256(v, 1));
		_mm_storeu_si128((__m128i *)(out + 2 * i), o);
	}
	return i;
}

/* One specialised copy per combination of bias, flat and signedness. */
#define VARIANTS(name, attr)                                                                 \
	static attr size_t name##_any(const struct plan *p, const int16_t *noise, uint8_t *out) \
	{                                                                                    \
		bool s = p->out_lo < 0;                                                      \
		if (p->bias && p->flat)                                                      \
			return s ? name(p, noise, out, true, true, true) :                   \
				   name(p, noise, out, true, true, false);                   \
		if (p->bias)                                                                 \
			return s ? name(p, noise, out, true, false, true) :                  \
				   name(p, noise, out, true, false, false);                  \
		if (p->flat)                                                                 \
			return s ? name(p, noise, out, false, true, true) :                  \
				   name(p, noise, out, false, true, false);                  \
		return s ? name(p, noise, out, false, false, true) :                         \
			   name(p, noise, out, false, false, false);                         \
	}

VARIANTS(sse2, )
VARIANTS(avx2, AVX2)

size_t scene_direct_simd(const struct plan *p, const int16_t *noise, uint8_t *out)
{
	static int has_avx2 = -1;

	if (has_avx2 < 0) {
		__builtin_cpu_init();
		has_avx2 = __builtin_cpu_supports("avx2");
	}
	return has_avx2 ? avx2_any(p, noise, out) : sse2_any(p, noise, out);
}
#else
size_t scene_direct_simd(const struct plan *p, const int16_t *noise, uint8_t *out)
{
	return 0;
}
#endif
