#include "lora-trainer.h"
#include "lora-adapter.h"

// llama.cpp internals: the adapter's a/b tensors must be flagged as parameters, and training one context
// at a time (rather than a whole ggml_opt_dataset) lets the caller shuffle, schedule and cancel.
#include "llama-adapter.h"
#include "llama-context.h"

#include <stdexcept>

namespace hew {

namespace {

bool reject_model_tensors(const ggml_tensor *, void *) { return false; }

}  // namespace

ggml_opt_optimizer_params LoraTrainer::optimizer_params(void * userdata) {
    const auto * self = static_cast<const LoraTrainer *>(userdata);
    ggml_opt_optimizer_params p = ggml_opt_get_default_optimizer_params(nullptr);
    p.adamw.alpha = self->settings.learning_rate;
    p.adamw.beta1 = self->settings.beta1;
    p.adamw.beta2 = self->settings.beta2;
    p.adamw.eps = self->settings.eps;
    p.adamw.wd = self->settings.weight_decay;
    p.sgd.alpha = self->settings.learning_rate;
    p.sgd.wd = self->settings.weight_decay;
    return p;
}

LoraTrainer::LoraTrainer(llama_model * model, const TrainerOptions & opts)
    : model(model), batch(new llama_batch(llama_batch_init((int32_t) opts.context_length, 0, 1))), n_ctx(opts.context_length), optimizer(opts.optimizer) {
    char arch_buf[128];
    if (llama_model_meta_val_str(model, "general.architecture", arch_buf, sizeof(arch_buf)) < 0) {
        throw std::runtime_error("the base model has no general.architecture");
    }
    arch = arch_buf;

    // the adapter comes first, so that the context's graph budget counts its nodes
    adapter.reset(llama_adapter_lora_init(model, opts.adapter_path.c_str()));
    if (!adapter) throw std::runtime_error("cannot load the LoRA adapter " + opts.adapter_path);
    for (auto & [name, w] : adapter->ab_map) {
        if (w.a->type != GGML_TYPE_F32 || w.b->type != GGML_TYPE_F32) {
            throw std::runtime_error("adapter tensor " + name + " is not F32 and cannot be trained");
        }
    }

    llama_context_params cp = llama_context_default_params();
    cp.n_ctx = n_ctx;
    cp.n_batch = n_ctx;
    cp.n_ubatch = n_ctx;
    cp.n_seq_max = 1;
    cp.n_threads = opts.threads;
    cp.n_threads_batch = opts.threads;
    // the backward pass of attention needs OUT_PROD, which takes F32 only
    cp.type_k = GGML_TYPE_F32;
    cp.type_v = GGML_TYPE_F32;
    cp.flash_attn_type = LLAMA_FLASH_ATTN_TYPE_DISABLED;
    ctx.reset(llama_init_from_model(model, cp));
    if (!ctx) throw std::runtime_error("cannot create a llama.cpp context for training");

    float scale = 1.0f;
    llama_adapter_lora * attached = adapter.get();
    if (llama_set_adapters_lora(ctx.get(), &attached, 1, &scale) != 0) {
        throw std::runtime_error("cannot attach the LoRA adapter to the context");
    }
    for (auto & [name, w] : adapter->ab_map) {
        ggml_set_param(w.a);
        ggml_set_param(w.b);
    }

    llama_opt_params op = {};
    op.n_ctx_train = n_ctx;  // llama.cpp may round the context up; training uses exactly n_ctx positions
    op.param_filter = reject_model_tensors;
    op.param_filter_ud = nullptr;
    op.get_opt_pars = optimizer_params;
    op.get_opt_pars_ud = this;
    op.optimizer_type = optimizer;
    op.grad_accum = opts.grad_accum;
    llama_opt_init(ctx.get(), model, op);
    result.reset(ggml_opt_result_init());
}

StepResult LoraTrainer::step(const std::vector<llama_token> & tokens, const std::vector<llama_token> & labels, bool train) {
    if (tokens.size() != n_ctx || labels.size() != n_ctx) {
        throw std::invalid_argument("tokens and labels must both hold exactly context_length entries");
    }
    const int32_t n_vocab = llama_vocab_n_tokens(llama_model_get_vocab(model));
    int64_t labelled = 0;
    for (uint32_t i = 0; i < n_ctx; ++i) {
        if (tokens[i] < 0 || tokens[i] >= n_vocab) throw std::invalid_argument("token id out of the vocabulary");
        if (labels[i] < -1 || labels[i] >= n_vocab) throw std::invalid_argument("label out of the vocabulary (use -1 to mask)");
        labelled += labels[i] >= 0;
    }
    ggml_opt_result_reset(result.get());
    ctx->opt_epoch_iter(nullptr, result.get(), tokens, labels, *batch, nullptr, train, 0, 1, ggml_time_us());
    double loss = 0.0, unc = 0.0;
    ggml_opt_result_loss(result.get(), &loss, &unc);
    return {loss, labelled};
}

void LoraTrainer::save(const std::string & path, const std::map<std::string, std::string> & extra_kv) const {
    write_adapter(*adapter, arch, path, extra_kv);
}

std::vector<LoraTrainer::TensorView> LoraTrainer::tensors() const {
    std::vector<TensorView> views;
    for (const auto & [name, w] : adapter->ab_map) {
        for (const ggml_tensor * t : {w.a, w.b}) {
            TensorView v{t->name, {t->ne[0], t->ne[1]}, std::vector<float>(ggml_nelements(t))};
            ggml_backend_tensor_get(t, v.data.data(), 0, ggml_nbytes(t));
            views.push_back(std::move(v));
        }
    }
    return views;
}

}  // namespace hew
