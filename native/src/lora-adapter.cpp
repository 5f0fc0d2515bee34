#include "lora-adapter.h"

#include "ggml.h"
#include "ggml-backend.h"
#include "gguf.h"
#include "llama-adapter.h"

#include <algorithm>
#include <cmath>
#include <memory>
#include <random>
#include <stdexcept>

namespace hew {

namespace {

struct GgufDeleter { void operator()(gguf_context * c) const { gguf_free(c); } };
struct GgmlDeleter { void operator()(ggml_context * c) const { ggml_free(c); } };
using GgufPtr = std::unique_ptr<gguf_context, GgufDeleter>;
using GgmlPtr = std::unique_ptr<ggml_context, GgmlDeleter>;

GgmlPtr tensor_context(size_t n_tensors, size_t n_bytes) {
    ggml_init_params params = {
        /*.mem_size   =*/ n_tensors * ggml_tensor_overhead() + n_bytes,
        /*.mem_buffer =*/ nullptr,
        /*.no_alloc   =*/ false,
    };
    GgmlPtr ctx(ggml_init(params));
    if (!ctx) throw std::runtime_error("cannot allocate memory for the adapter tensors");
    return ctx;
}

GgufPtr adapter_header(const std::string & arch, float alpha) {
    GgufPtr gguf(gguf_init_empty());
    gguf_set_val_str(gguf.get(), "general.type", "adapter");
    gguf_set_val_str(gguf.get(), "general.architecture", arch.c_str());
    gguf_set_val_str(gguf.get(), "adapter.type", "lora");
    gguf_set_val_f32(gguf.get(), "adapter.lora.alpha", alpha);
    return gguf;
}

void write_file(gguf_context * gguf, const std::string & out_path) {
    if (!gguf_write_to_file(gguf, out_path.c_str(), /*only_meta =*/ false)) {
        throw std::runtime_error("cannot write the adapter to " + out_path);
    }
}

}  // namespace

std::vector<LoraTensorInfo> write_fresh_adapter(const std::string & base_path, const std::string & out_path, const LoraInitOptions & opts) {
    ggml_context * meta_raw = nullptr;
    gguf_init_params params = { /*.no_alloc =*/ true, /*.ctx =*/ &meta_raw };
    GgufPtr base(gguf_init_from_file(base_path.c_str(), params));
    if (!base) throw std::runtime_error("cannot read the base model " + base_path + " as GGUF");
    GgmlPtr meta(meta_raw);

    const int64_t arch_id = gguf_find_key(base.get(), "general.architecture");
    if (arch_id < 0) throw std::runtime_error(base_path + " has no general.architecture");
    const std::string arch = gguf_get_val_str(base.get(), arch_id);

    std::vector<LoraTensorInfo> infos;
    for (ggml_tensor * t = ggml_get_first_tensor(meta.get()); t; t = ggml_get_next_tensor(meta.get(), t)) {
        const std::string name = ggml_get_name(t);
        if (name.rfind("blk.", 0) != 0 || ggml_n_dims(t) != 2) continue;
        const bool wanted = std::any_of(opts.targets.begin(), opts.targets.end(), [&](const std::string & target) {
            const std::string suffix = "." + target + ".weight";
            return name.size() > suffix.size() && name.compare(name.size() - suffix.size(), suffix.size(), suffix) == 0;
        });
        if (wanted) infos.push_back({name, t->ne[0], t->ne[1]});
    }
    if (infos.empty()) throw std::runtime_error("the base model has none of the requested LoRA target projections");
    std::sort(infos.begin(), infos.end(), [](const LoraTensorInfo & a, const LoraTensorInfo & b) { return a.name < b.name; });

    size_t n_bytes = 0;
    for (const auto & info : infos) n_bytes += (info.n_in + info.n_out) * opts.rank * sizeof(float) + 2 * GGML_MEM_ALIGN;
    GgmlPtr ctx = tensor_context(2 * infos.size(), n_bytes);
    GgufPtr out = adapter_header(arch, opts.alpha);

    std::mt19937 rng(opts.seed);
    for (const auto & info : infos) {
        ggml_tensor * a = ggml_new_tensor_2d(ctx.get(), GGML_TYPE_F32, info.n_in, opts.rank);
        ggml_tensor * b = ggml_new_tensor_2d(ctx.get(), GGML_TYPE_F32, opts.rank, info.n_out);
        ggml_set_name(a, (info.name + ".lora_a").c_str());
        ggml_set_name(b, (info.name + ".lora_b").c_str());
        const float bound = 1.0f / std::sqrt((float) info.n_in);
        std::uniform_real_distribution<float> dist(-bound, bound);
        float * a_data = (float *) a->data;
        for (int64_t i = 0; i < ggml_nelements(a); ++i) a_data[i] = dist(rng);
        std::fill_n((float *) b->data, ggml_nelements(b), 0.0f);
        gguf_add_tensor(out.get(), a);
        gguf_add_tensor(out.get(), b);
    }
    write_file(out.get(), out_path);
    return infos;
}

void write_adapter(const llama_adapter_lora & adapter, const std::string & arch, const std::string & out_path,
                   const std::map<std::string, std::string> & extra_kv) {
    std::vector<std::string> names;
    size_t n_bytes = 0;
    for (const auto & [name, w] : adapter.ab_map) {
        names.push_back(name);
        n_bytes += ggml_nelements(w.a) * sizeof(float) + ggml_nelements(w.b) * sizeof(float) + 2 * GGML_MEM_ALIGN;
    }
    std::sort(names.begin(), names.end());

    GgmlPtr ctx = tensor_context(2 * names.size(), n_bytes);
    GgufPtr out = adapter_header(arch, adapter.alpha);
    for (const auto & [key, value] : extra_kv) gguf_set_val_str(out.get(), key.c_str(), value.c_str());

    for (const auto & name : names) {
        const llama_adapter_lora_weight & w = adapter.ab_map.at(name);
        for (ggml_tensor * src : {w.a, w.b}) {
            if (src->type != GGML_TYPE_F32) throw std::runtime_error(std::string("adapter tensor ") + src->name + " is not F32");
            ggml_tensor * dst = ggml_new_tensor(ctx.get(), GGML_TYPE_F32, GGML_MAX_DIMS, src->ne);
            ggml_set_name(dst, src->name);
            ggml_backend_tensor_get(src, dst->data, 0, ggml_nbytes(src));
            gguf_add_tensor(out.get(), dst);
        }
    }
    write_file(out.get(), out_path);
}

}  // namespace hew
