// Node-API surface of the LoRA trainer: a model handle (vocabulary, chat template), fresh adapter files,
// and a trainer whose steps run on the libuv thread pool so the JavaScript side stays responsive.
#include <napi.h>

#include "ggml-backend.h"
#include "llama.h"
#include "grad-check.h"
#include "lora-adapter.h"
#include "lora-trainer.h"

#include <atomic>
#include <cstdio>
#include <cstdlib>
#include <memory>
#include <mutex>
#include <string>

namespace {

std::mutex log_mutex;
std::string last_error_log;
std::atomic<bool> verbose_log{false};

// llama.cpp logs a lot at load time; keep errors (to explain a failure) and print everything when asked.
void on_log(ggml_log_level level, const char * text, void *) {
    if (verbose_log) fputs(text, stderr);
    if (level == GGML_LOG_LEVEL_ERROR) {
        std::lock_guard<std::mutex> lock(log_mutex);
        last_error_log += text;
        if (last_error_log.size() > 4000) last_error_log.erase(0, last_error_log.size() - 4000);
    }
}

std::string take_error_log() {
    std::lock_guard<std::mutex> lock(log_mutex);
    std::string text;
    text.swap(last_error_log);
    while (!text.empty() && (text.back() == '\n' || text.back() == ' ')) text.pop_back();
    return text;
}

[[noreturn]] void throw_with_log(Napi::Env env, const std::string & message) {
    const std::string log = take_error_log();
    throw Napi::Error::New(env, log.empty() ? message : message + ": " + log);
}

std::vector<llama_token> to_tokens(const Napi::Value & value) {
    if (!value.IsTypedArray() || value.As<Napi::TypedArray>().TypedArrayType() != napi_int32_array) {
        throw Napi::TypeError::New(value.Env(), "expected an Int32Array");
    }
    auto array = value.As<Napi::Int32Array>();
    return std::vector<llama_token>(array.Data(), array.Data() + array.ElementLength());
}

class Model : public Napi::ObjectWrap<Model> {
public:
    static Napi::Function Define(Napi::Env env) {
        return DefineClass(env, "Model", {
            InstanceMethod<&Model::Tokenize>("tokenize"),
            InstanceMethod<&Model::ApplyChatTemplate>("applyChatTemplate"),
            InstanceMethod<&Model::Info>("info"),
            InstanceMethod<&Model::Close>("close"),
        });
    }

    Model(const Napi::CallbackInfo & info) : Napi::ObjectWrap<Model>(info) {
        const std::string path = info[0].As<Napi::String>();
        const Napi::Object opts = info[1].IsObject() ? info[1].As<Napi::Object>() : Napi::Object::New(info.Env());
        llama_model_params mp = llama_model_default_params();
        if (opts.Has("gpuLayers")) mp.n_gpu_layers = opts.Get("gpuLayers").As<Napi::Number>().Int32Value();
        // repacked weight buffers (CPU_REPACK for Q4_K, Q4_0, ...) have no OUT_PROD, which the backward pass
        // needs for every weight: keep the weights as the file stores them
        mp.use_extra_bufts = false;
        model = llama_model_load_from_file(path.c_str(), mp);
        if (!model) throw_with_log(info.Env(), "cannot load the model " + path);
    }

    ~Model() override { release(); }

    llama_model * get(Napi::Env env) const {
        if (!model) throw Napi::Error::New(env, "the model was closed");
        return model;
    }

    void retain() { ++users; }
    void release_user() { --users; }

private:
    Napi::Value Tokenize(const Napi::CallbackInfo & info) {
        const std::string text = info[0].As<Napi::String>();
        const bool add_special = info[1].ToBoolean();
        const llama_vocab * vocab = llama_model_get_vocab(get(info.Env()));
        int32_t n = llama_tokenize(vocab, text.data(), (int32_t) text.size(), nullptr, 0, add_special, true);
        if (n == INT32_MIN) throw Napi::Error::New(info.Env(), "text too long to tokenize");
        auto out = Napi::Int32Array::New(info.Env(), n < 0 ? -n : n);
        if (n < 0) n = llama_tokenize(vocab, text.data(), (int32_t) text.size(), out.Data(), (int32_t) out.ElementLength(), add_special, true);
        if (n < 0) throw Napi::Error::New(info.Env(), "tokenization failed");
        return out;
    }

    // Returns null when the model has no template or llama.cpp does not recognise it.
    Napi::Value ApplyChatTemplate(const Napi::CallbackInfo & info) {
        const char * tmpl = llama_model_chat_template(get(info.Env()), nullptr);
        if (!tmpl) return info.Env().Null();
        const Napi::Array messages = info[0].As<Napi::Array>();
        const bool add_assistant = info[1].ToBoolean();
        std::vector<std::string> roles(messages.Length()), contents(messages.Length());
        std::vector<llama_chat_message> chat(messages.Length());
        size_t total = 0;
        for (uint32_t i = 0; i < messages.Length(); ++i) {
            const Napi::Object m = messages.Get(i).As<Napi::Object>();
            roles[i] = m.Get("role").As<Napi::String>();
            contents[i] = m.Get("content").As<Napi::String>();
            chat[i] = {roles[i].c_str(), contents[i].c_str()};
            total += roles[i].size() + contents[i].size();
        }
        std::string buf(2 * total + 256, '\0');
        int32_t n = llama_chat_apply_template(tmpl, chat.data(), chat.size(), add_assistant, buf.data(), (int32_t) buf.size());
        if (n > (int32_t) buf.size()) {
            buf.resize(n);
            n = llama_chat_apply_template(tmpl, chat.data(), chat.size(), add_assistant, buf.data(), (int32_t) buf.size());
        }
        if (n < 0) return info.Env().Null();
        buf.resize(n);
        return Napi::String::New(info.Env(), buf);
    }

    Napi::Value Info(const Napi::CallbackInfo & info) {
        const llama_model * m = get(info.Env());
        const llama_vocab * vocab = llama_model_get_vocab(m);
        Napi::Object out = Napi::Object::New(info.Env());
        char buf[256];
        out.Set("architecture", llama_model_meta_val_str(m, "general.architecture", buf, sizeof(buf)) >= 0 ? buf : "");
        out.Set("vocabSize", llama_vocab_n_tokens(vocab));
        out.Set("contextLength", llama_model_n_ctx_train(m));
        out.Set("parameters", (double) llama_model_n_params(m));
        out.Set("eosToken", llama_vocab_eos(vocab));
        const llama_token eos = llama_vocab_eos(vocab);
        out.Set("eosText", eos >= 0 ? llama_vocab_get_text(vocab, eos) : "");
        out.Set("layers", llama_model_n_layer(m));
        const char * tmpl = llama_model_chat_template(m, nullptr);
        out.Set("chatTemplate", tmpl ? Napi::Value(Napi::String::New(info.Env(), tmpl)) : info.Env().Null());
        return out;
    }

    Napi::Value Close(const Napi::CallbackInfo & info) {
        if (users > 0) throw Napi::Error::New(info.Env(), "the model is still used by a trainer");
        release();
        return info.Env().Undefined();
    }

    void release() {
        if (model) llama_model_free(model);
        model = nullptr;
    }

    llama_model * model = nullptr;
    int users = 0;
};

class StepWorker : public Napi::AsyncWorker {
public:
    StepWorker(Napi::Env env, hew::LoraTrainer & trainer, std::vector<llama_token> tokens, std::vector<llama_token> labels, bool train)
        : Napi::AsyncWorker(env), deferred(Napi::Promise::Deferred::New(env)), trainer(trainer),
          tokens(std::move(tokens)), labels(std::move(labels)), train(train) {}

    Napi::Promise promise() const { return deferred.Promise(); }

protected:
    void Execute() override {
        try {
            result = trainer.step(tokens, labels, train);
        } catch (const std::exception & e) {
            SetError(e.what());
        }
    }
    void OnOK() override {
        Napi::Object out = Napi::Object::New(Env());
        out.Set("loss", result.loss);
        out.Set("labelled", (double) result.labelled);
        deferred.Resolve(out);
    }
    void OnError(const Napi::Error & e) override { deferred.Reject(e.Value()); }

private:
    Napi::Promise::Deferred deferred;
    hew::LoraTrainer & trainer;
    std::vector<llama_token> tokens, labels;
    bool train;
    hew::StepResult result{};
};

class Trainer : public Napi::ObjectWrap<Trainer> {
public:
    static Napi::Function Define(Napi::Env env) {
        return DefineClass(env, "Trainer", {
            InstanceMethod<&Trainer::SetOptimizer>("setOptimizer"),
            InstanceMethod<&Trainer::Step>("step"),
            InstanceMethod<&Trainer::Save>("save"),
            InstanceMethod<&Trainer::Tensors>("tensors"),
            InstanceMethod<&Trainer::Close>("close"),
        });
    }

    Trainer(const Napi::CallbackInfo & info) : Napi::ObjectWrap<Trainer>(info) {
        model_ref = Napi::Persistent(info[0].As<Napi::Object>());
        Model * model = Model::Unwrap(info[0].As<Napi::Object>());
        const Napi::Object o = info[1].As<Napi::Object>();
        hew::TrainerOptions opts;
        opts.adapter_path = o.Get("adapterPath").As<Napi::String>().Utf8Value();
        opts.context_length = o.Get("contextLength").As<Napi::Number>().Uint32Value();
        opts.threads = o.Get("threads").As<Napi::Number>().Int32Value();
        opts.grad_accum = o.Get("gradAccum").As<Napi::Number>().Uint32Value();
        const std::string optimizer = o.Get("optimizer").As<Napi::String>();
        opts.optimizer = optimizer == "sgd" ? GGML_OPT_OPTIMIZER_TYPE_SGD : GGML_OPT_OPTIMIZER_TYPE_ADAMW;
        try {
            trainer = std::make_unique<hew::LoraTrainer>(model->get(info.Env()), opts);
        } catch (const std::exception & e) {
            throw_with_log(info.Env(), e.what());
        }
        owner = model;
        owner->retain();
    }

    ~Trainer() override { release(); }

private:
    hew::LoraTrainer & get(Napi::Env env) {
        if (!trainer) throw Napi::Error::New(env, "the trainer was closed");
        if (busy) throw Napi::Error::New(env, "a step is still running");
        return *trainer;
    }

    Napi::Value SetOptimizer(const Napi::CallbackInfo & info) {
        hew::LoraTrainer & t = get(info.Env());
        const Napi::Object o = info[0].As<Napi::Object>();
        auto num = [&](const char * key, float & field) { if (o.Has(key)) field = o.Get(key).As<Napi::Number>().FloatValue(); };
        num("learningRate", t.settings.learning_rate);
        num("weightDecay", t.settings.weight_decay);
        num("beta1", t.settings.beta1);
        num("beta2", t.settings.beta2);
        num("eps", t.settings.eps);
        return info.Env().Undefined();
    }

    Napi::Value Step(const Napi::CallbackInfo & info) {
        hew::LoraTrainer & t = get(info.Env());
        auto * worker = new StepWorker(info.Env(), t, to_tokens(info[0]), to_tokens(info[1]), info[2].ToBoolean());
        Napi::Promise promise = worker->promise();
        busy = true;
        // the flag is cleared when the promise settles, from JavaScript's side of the worker
        Napi::Function clear = Napi::Function::New(info.Env(), [this](const Napi::CallbackInfo & ci) {
            busy = false;
            return ci.Env().Undefined();
        });
        worker->Queue();
        return promise.Get("finally").As<Napi::Function>().Call(promise, {clear});
    }

    Napi::Value Save(const Napi::CallbackInfo & info) {
        hew::LoraTrainer & t = get(info.Env());
        const std::string path = info[0].As<Napi::String>();
        std::map<std::string, std::string> kv;
        if (info[1].IsObject()) {
            const Napi::Object o = info[1].As<Napi::Object>();
            const Napi::Array keys = o.GetPropertyNames();
            for (uint32_t i = 0; i < keys.Length(); ++i) {
                const std::string key = keys.Get(i).As<Napi::String>();
                kv[key] = o.Get(key).ToString().Utf8Value();
            }
        }
        try {
            t.save(path, kv);
        } catch (const std::exception & e) {
            throw Napi::Error::New(info.Env(), e.what());
        }
        return info.Env().Undefined();
    }

    Napi::Value Tensors(const Napi::CallbackInfo & info) {
        Napi::Array out = Napi::Array::New(info.Env());
        uint32_t i = 0;
        for (auto & view : get(info.Env()).tensors()) {
            Napi::Object o = Napi::Object::New(info.Env());
            o.Set("name", view.name);
            Napi::Array ne = Napi::Array::New(info.Env(), view.ne.size());
            for (uint32_t d = 0; d < view.ne.size(); ++d) ne.Set(d, (double) view.ne[d]);
            o.Set("shape", ne);
            auto data = Napi::Float32Array::New(info.Env(), view.data.size());
            std::copy(view.data.begin(), view.data.end(), data.Data());
            o.Set("data", data);
            out.Set(i++, o);
        }
        return out;
    }

    Napi::Value Close(const Napi::CallbackInfo & info) {
        if (busy) throw Napi::Error::New(info.Env(), "a step is still running");
        release();
        return info.Env().Undefined();
    }

    void release() {
        if (!trainer) return;
        trainer.reset();
        owner->release_user();
        model_ref.Reset();
    }

    std::unique_ptr<hew::LoraTrainer> trainer;
    Napi::ObjectReference model_ref;  // keeps the model alive while the trainer exists
    Model * owner = nullptr;
    bool busy = false;
};

Napi::Value WriteFreshAdapter(const Napi::CallbackInfo & info) {
    const std::string base = info[0].As<Napi::String>();
    const std::string out = info[1].As<Napi::String>();
    const Napi::Object o = info[2].As<Napi::Object>();
    hew::LoraInitOptions opts;
    opts.rank = o.Get("rank").As<Napi::Number>().Int32Value();
    opts.alpha = o.Get("alpha").As<Napi::Number>().FloatValue();
    opts.seed = o.Get("seed").As<Napi::Number>().Uint32Value();
    const Napi::Array targets = o.Get("targets").As<Napi::Array>();
    for (uint32_t i = 0; i < targets.Length(); ++i) opts.targets.push_back(targets.Get(i).As<Napi::String>());
    std::vector<hew::LoraTensorInfo> infos;
    try {
        infos = hew::write_fresh_adapter(base, out, opts);
    } catch (const std::exception & e) {
        throw_with_log(info.Env(), e.what());
    }
    Napi::Array result = Napi::Array::New(info.Env(), infos.size());
    for (uint32_t i = 0; i < infos.size(); ++i) {
        Napi::Object t = Napi::Object::New(info.Env());
        t.Set("name", infos[i].name);
        t.Set("inputs", (double) infos[i].n_in);
        t.Set("outputs", (double) infos[i].n_out);
        result.Set(i, t);
    }
    return result;
}

// The finite-difference checks of the backward passes the patched ggml adds: gradCheck(op, variant), or the
// names of the checked ops without arguments.
Napi::Value GradCheck(const Napi::CallbackInfo & info) {
    if (info.Length() == 0) {
        const auto names = hew::grad_check_ops();
        Napi::Array out = Napi::Array::New(info.Env(), names.size());
        for (uint32_t i = 0; i < names.size(); ++i) out.Set(i, names[i]);
        return out;
    }
    hew::GradCheckResult r;
    try {
        r = hew::grad_check(info[0].As<Napi::String>(), info[1].As<Napi::Number>().Int32Value());
    } catch (const std::exception & e) {
        throw_with_log(info.Env(), e.what());
    }
    Napi::Object out = Napi::Object::New(info.Env());
    out.Set("op", r.op);
    out.Set("variant", r.variant);
    out.Set("checked", (double) r.checked);
    out.Set("nonzero", (double) r.nonzero);
    out.Set("maxError", r.max_error);
    return out;
}

// The devices ggml registered, so a GPU run can tell whether it has a GPU at all: ggml's Vulkan backend, for one,
// leaves out CPU-type devices (lavapipe) unless GGML_VK_VISIBLE_DEVICES names them, and then everything runs on
// the CPU backend without a word.
Napi::Value Devices(const Napi::CallbackInfo & info) {
    const size_t n = ggml_backend_dev_count();
    Napi::Array result = Napi::Array::New(info.Env(), n);
    for (size_t i = 0; i < n; ++i) {
        ggml_backend_dev_t dev = ggml_backend_dev_get(i);
        size_t free = 0, total = 0;
        ggml_backend_dev_memory(dev, &free, &total);
        const char * type = "other";
        switch (ggml_backend_dev_type(dev)) {
            case GGML_BACKEND_DEVICE_TYPE_CPU: type = "cpu"; break;
            case GGML_BACKEND_DEVICE_TYPE_GPU: type = "gpu"; break;
            case GGML_BACKEND_DEVICE_TYPE_IGPU: type = "igpu"; break;
            case GGML_BACKEND_DEVICE_TYPE_ACCEL: type = "accel"; break;
            default: break;
        }
        Napi::Object d = Napi::Object::New(info.Env());
        d.Set("name", ggml_backend_dev_name(dev));
        d.Set("description", ggml_backend_dev_description(dev));
        d.Set("type", type);
        d.Set("memoryBytes", (double) total);
        result.Set(i, d);
    }
    return result;
}

Napi::Value SystemInfo(const Napi::CallbackInfo & info) {
    return Napi::String::New(info.Env(), llama_print_system_info());
}

Napi::Value SetVerbose(const Napi::CallbackInfo & info) {
    verbose_log = info[0].ToBoolean();
    return info.Env().Undefined();
}

Napi::Object Init(Napi::Env env, Napi::Object exports) {
    llama_log_set(on_log, nullptr);
    llama_backend_init();
    exports.Set("Model", Model::Define(env));
    exports.Set("Trainer", Trainer::Define(env));
    exports.Set("writeFreshAdapter", Napi::Function::New<WriteFreshAdapter>(env));
    exports.Set("gradCheck", Napi::Function::New<GradCheck>(env));
    exports.Set("systemInfo", Napi::Function::New<SystemInfo>(env));
    exports.Set("devices", Napi::Function::New<Devices>(env));
    exports.Set("setVerbose", Napi::Function::New<SetVerbose>(env));
    return exports;
}

}  // namespace

NODE_API_MODULE(hew_train, Init)
