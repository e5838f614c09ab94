#include "wasmtime_component_values.h"

#include <cerrno>
#include <cmath>
#include <cstdlib>
#include <cstring>
#include <limits>
#include <vector>

namespace wasm_cow {

namespace {

std::string Text(const char* data, size_t length) { return std::string(data ? data : "", length); }

std::string Text(const wasm_byte_vec_t& name) { return Text(name.data, name.size); }

wasm_byte_vec_t NameOf(const WasmtimeApi& api, const std::string& text) {
  wasm_byte_vec_t name{0, nullptr};
  api.wasm_byte_vec_new(&name, text.size(), text.data());
  return name;
}

[[noreturn]] void Refuse(Napi::Env env, const std::string& where, const std::string& expected) {
  throw Napi::TypeError::New(env, where + ": expected " + expected);
}

// Values lowered so far, deleted unless handed over (a later one may fail to lower).
class Lowered {
 public:
  explicit Lowered(const WasmtimeApi& api) : api_(api) {}
  ~Lowered() {
    for (wasmtime_component_val_t& value : values_) api_.wasmtime_component_val_delete(&value);
  }
  void Add(Napi::Env env, const wasmtime_component_valtype_t& type, const Napi::Value& value,
           const std::string& where) {
    wasmtime_component_val_t lowered{};
    ComponentValueOf(env, api_, type, value, where, lowered);
    values_.push_back(lowered);
  }
  size_t size() const { return values_.size(); }
  // Moves the values into `data` (room for size()); this no longer owns them.
  void MoveTo(wasmtime_component_val_t* data) {
    if (!values_.empty()) std::memcpy(data, values_.data(), values_.size() * sizeof values_[0]);
    values_.clear();
  }
  // The one value, moved to the heap (an option's, a variant's or a result's payload).
  wasmtime_component_val_t* MoveToHeap() {
    wasmtime_component_val_t* boxed = api_.wasmtime_component_val_new(&values_.at(0));
    values_.clear();
    return boxed;
  }

 private:
  const WasmtimeApi& api_;
  std::vector<wasmtime_component_val_t> values_;
};

// An integer in [min, max] from a number, a BigInt or a decimal string.
template <typename T>
T IntegerOf(Napi::Env env, const Napi::Value& value, const std::string& where, const char* typeName) {
  constexpr bool isSigned = std::numeric_limits<T>::is_signed;
  std::string expected = std::string("a ") + typeName + " (an integer from " +
                         std::to_string(+std::numeric_limits<T>::min()) + " to " +
                         std::to_string(+std::numeric_limits<T>::max()) + ")";
  if (value.IsNumber()) {
    double number = value.As<Napi::Number>().DoubleValue();
    if (std::trunc(number) != number || number < static_cast<double>(std::numeric_limits<T>::min()) ||
        number > static_cast<double>(std::numeric_limits<T>::max()) || std::fabs(number) > 9007199254740991.0) {
      Refuse(env, where, expected);
    }
    return static_cast<T>(number);
  }
  if (value.IsBigInt()) {
    bool lossless = false;
    if (isSigned) {
      int64_t n = value.As<Napi::BigInt>().Int64Value(&lossless);
      if (!lossless || n < static_cast<int64_t>(std::numeric_limits<T>::min()) ||
          n > static_cast<int64_t>(std::numeric_limits<T>::max())) {
        Refuse(env, where, expected);
      }
      return static_cast<T>(n);
    }
    uint64_t n = value.As<Napi::BigInt>().Uint64Value(&lossless);
    if (!lossless || n > static_cast<uint64_t>(std::numeric_limits<T>::max())) Refuse(env, where, expected);
    return static_cast<T>(n);
  }
  if (value.IsString()) {
    std::string text = value.As<Napi::String>().Utf8Value();
    if (text.empty() || text.size() > 20 ||
        text.find_first_not_of("0123456789", text[0] == '-' ? 1 : 0) != std::string::npos) {
      Refuse(env, where, expected);
    }
    errno = 0;
    char* end = nullptr;
    if (isSigned) {
      long long n = std::strtoll(text.c_str(), &end, 10);
      if (errno != 0 || n < static_cast<long long>(std::numeric_limits<T>::min()) ||
          n > static_cast<long long>(std::numeric_limits<T>::max())) {
        Refuse(env, where, expected);
      }
      return static_cast<T>(n);
    }
    if (text[0] == '-') Refuse(env, where, expected);
    unsigned long long n = std::strtoull(text.c_str(), &end, 10);
    if (errno != 0 || n > static_cast<unsigned long long>(std::numeric_limits<T>::max())) {
      Refuse(env, where, expected);
    }
    return static_cast<T>(n);
  }
  Refuse(env, where, expected);
}

double FloatOf(Napi::Env env, const Napi::Value& value, const std::string& where, const char* typeName) {
  if (!value.IsNumber()) Refuse(env, where, std::string("a number (") + typeName + ")");
  return value.As<Napi::Number>().DoubleValue();
}

uint32_t CharOf(Napi::Env env, const Napi::Value& value, const std::string& where) {
  std::u16string units = value.IsString() ? value.As<Napi::String>().Utf16Value() : std::u16string();
  bool pair = units.size() == 2 && units[0] >= 0xD800 && units[0] < 0xDC00 && units[1] >= 0xDC00 && units[1] < 0xE000;
  if (pair) return 0x10000 + ((units[0] - 0xD800u) << 10) + (units[1] - 0xDC00u);
  if (units.size() != 1 || (units[0] >= 0xD800 && units[0] < 0xE000)) {
    Refuse(env, where, "a char (a string of one Unicode scalar value)");
  }
  return units[0];
}

// The names an enum or flags type allows, in order.
template <typename Count, typename Nth>
std::vector<std::string> Names(Count count, Nth nth) {
  std::vector<std::string> names;
  for (size_t i = 0; i < count(); i++) {
    const char* data = nullptr;
    size_t length = 0;
    if (nth(i, &data, &length)) names.push_back(Text(data, length));
  }
  return names;
}

std::vector<std::string> EnumNames(const WasmtimeApi& api, const wasmtime_component_enum_type_t* type) {
  return Names([&] { return api.wasmtime_component_enum_type_names_count(type); },
               [&](size_t i, const char** data, size_t* length) {
                 return api.wasmtime_component_enum_type_names_nth(type, i, data, length);
               });
}

std::vector<std::string> FlagNames(const WasmtimeApi& api, const wasmtime_component_flags_type_t* type) {
  return Names([&] { return api.wasmtime_component_flags_type_names_count(type); },
               [&](size_t i, const char** data, size_t* length) {
                 return api.wasmtime_component_flags_type_names_nth(type, i, data, length);
               });
}

std::string Joined(const std::vector<std::string>& names) {
  std::string text;
  for (const std::string& name : names) text += (text.empty() ? "" : ", ") + name;
  return text;
}

bool Contains(const std::vector<std::string>& names, const std::string& name) {
  for (const std::string& each : names) {
    if (each == name) return true;
  }
  return false;
}

// The payload of an option, a result or a variant case, lowered and moved to the heap.
wasmtime_component_val_t* Payload(Napi::Env env, const WasmtimeApi& api, const wasmtime_component_valtype_t& type,
                                  const Napi::Value& value, const std::string& where) {
  Lowered lowered(api);
  lowered.Add(env, type, value, where);
  return lowered.MoveToHeap();
}

}  // namespace

std::string ComponentTypeText(const WasmtimeApi& api, const wasmtime_component_valtype_t& type) {
  switch (type.kind) {
    case kValtypeBool:
      return "bool";
    case kValtypeS8:
      return "s8";
    case kValtypeS16:
      return "s16";
    case kValtypeS32:
      return "s32";
    case kValtypeS64:
      return "s64";
    case kValtypeU8:
      return "u8";
    case kValtypeU16:
      return "u16";
    case kValtypeU32:
      return "u32";
    case kValtypeU64:
      return "u64";
    case kValtypeF32:
      return "f32";
    case kValtypeF64:
      return "f64";
    case kValtypeChar:
      return "char";
    case kValtypeString:
      return "string";
    case kValtypeList: {
      ComponentType element(api);
      api.wasmtime_component_list_type_element(type.of.list, element.Out());
      return "list<" + ComponentTypeText(api, *element) + ">";
    }
    case kValtypeRecord: {
      std::string fields;
      for (size_t i = 0; i < api.wasmtime_component_record_type_field_count(type.of.record); i++) {
        const char* name = nullptr;
        size_t length = 0;
        ComponentType field(api);
        if (!api.wasmtime_component_record_type_field_nth(type.of.record, i, &name, &length, field.Out())) continue;
        fields += (fields.empty() ? "" : ", ") + Text(name, length) + ": " + ComponentTypeText(api, *field);
      }
      return "record { " + fields + " }";
    }
    case kValtypeTuple: {
      std::string types;
      for (size_t i = 0; i < api.wasmtime_component_tuple_type_types_count(type.of.tuple); i++) {
        ComponentType each(api);
        if (!api.wasmtime_component_tuple_type_types_nth(type.of.tuple, i, each.Out())) continue;
        types += (types.empty() ? "" : ", ") + ComponentTypeText(api, *each);
      }
      return "tuple<" + types + ">";
    }
    case kValtypeVariant: {
      std::string cases;
      for (size_t i = 0; i < api.wasmtime_component_variant_type_case_count(type.of.variant); i++) {
        const char* name = nullptr;
        size_t length = 0;
        bool hasPayload = false;
        ComponentType payload(api);
        if (!api.wasmtime_component_variant_type_case_nth(type.of.variant, i, &name, &length, &hasPayload,
                                                          payload.Out())) {
          continue;
        }
        cases += (cases.empty() ? "" : ", ") + Text(name, length) +
                 (hasPayload ? "(" + ComponentTypeText(api, *payload) + ")" : "");
      }
      return "variant { " + cases + " }";
    }
    case kValtypeEnum:
      return "enum { " + Joined(EnumNames(api, type.of.enumeration)) + " }";
    case kValtypeOption: {
      ComponentType inner(api);
      api.wasmtime_component_option_type_ty(type.of.option, inner.Out());
      return "option<" + ComponentTypeText(api, *inner) + ">";
    }
    case kValtypeResult: {
      ComponentType ok(api), err(api);
      bool hasOk = api.wasmtime_component_result_type_ok(type.of.result, ok.Out());
      bool hasErr = api.wasmtime_component_result_type_err(type.of.result, err.Out());
      if (!hasOk && !hasErr) return "result";
      return "result<" + (hasOk ? ComponentTypeText(api, *ok) : "_") +
             (hasErr ? ", " + ComponentTypeText(api, *err) : "") + ">";
    }
    case kValtypeFlags:
      return "flags { " + Joined(FlagNames(api, type.of.flags)) + " }";
    case kValtypeOwn:
      return "own<resource>";
    case kValtypeBorrow:
      return "borrow<resource>";
    case kValtypeFuture:
      return "future";
    case kValtypeStream:
      return "stream";
    case kValtypeErrorContext:
      return "error-context";
    default:
      return "type " + std::to_string(type.kind);
  }
}

void ComponentValueOf(Napi::Env env, const WasmtimeApi& api, const wasmtime_component_valtype_t& type,
                      const Napi::Value& value, const std::string& where, wasmtime_component_val_t& out) {
  wasmtime_component_val_t made{};
  switch (type.kind) {
    case kValtypeBool:
      if (!value.IsBoolean()) Refuse(env, where, "a bool (true or false)");
      made.kind = kValBool;
      made.of.boolean = value.As<Napi::Boolean>().Value();
      break;
    case kValtypeS8:
      made.kind = kValS8, made.of.s8 = IntegerOf<int8_t>(env, value, where, "s8");
      break;
    case kValtypeS16:
      made.kind = kValS16, made.of.s16 = IntegerOf<int16_t>(env, value, where, "s16");
      break;
    case kValtypeS32:
      made.kind = kValS32, made.of.s32 = IntegerOf<int32_t>(env, value, where, "s32");
      break;
    case kValtypeS64:
      made.kind = kValS64, made.of.s64 = IntegerOf<int64_t>(env, value, where, "s64");
      break;
    case kValtypeU8:
      made.kind = kValU8, made.of.u8 = IntegerOf<uint8_t>(env, value, where, "u8");
      break;
    case kValtypeU16:
      made.kind = kValU16, made.of.u16 = IntegerOf<uint16_t>(env, value, where, "u16");
      break;
    case kValtypeU32:
      made.kind = kValU32, made.of.u32 = IntegerOf<uint32_t>(env, value, where, "u32");
      break;
    case kValtypeU64:
      made.kind = kValU64, made.of.u64 = IntegerOf<uint64_t>(env, value, where, "u64");
      break;
    case kValtypeF32:
      made.kind = kValF32;
      made.of.f32 = static_cast<float>(FloatOf(env, value, where, "f32"));
      break;
    case kValtypeF64:
      made.kind = kValF64, made.of.f64 = FloatOf(env, value, where, "f64");
      break;
    case kValtypeChar:
      made.kind = kValChar, made.of.character = CharOf(env, value, where);
      break;
    case kValtypeString:
      if (!value.IsString()) Refuse(env, where, "a string");
      made.kind = kValString;
      made.of.string = NameOf(api, value.As<Napi::String>().Utf8Value());
      break;
    case kValtypeList:
    case kValtypeTuple: {
      if (!value.IsArray()) Refuse(env, where, "an array (" + ComponentTypeText(api, type) + ")");
      Napi::Array items = value.As<Napi::Array>();
      Lowered lowered(api);
      if (type.kind == kValtypeList) {
        ComponentType element(api);
        api.wasmtime_component_list_type_element(type.of.list, element.Out());
        for (uint32_t i = 0; i < items.Length(); i++) {
          lowered.Add(env, *element, items.Get(i), where + "[" + std::to_string(i) + "]");
        }
        made.kind = kValList;
        api.wasmtime_component_vallist_new_uninit(&made.of.list, lowered.size());
      } else {
        size_t count = api.wasmtime_component_tuple_type_types_count(type.of.tuple);
        if (items.Length() != count) {
          Refuse(env, where, "an array of " + std::to_string(count) + " (" + ComponentTypeText(api, type) + ")");
        }
        for (uint32_t i = 0; i < count; i++) {
          ComponentType each(api);
          api.wasmtime_component_tuple_type_types_nth(type.of.tuple, i, each.Out());
          lowered.Add(env, *each, items.Get(i), where + "[" + std::to_string(i) + "]");
        }
        made.kind = kValTuple;
        api.wasmtime_component_valtuple_new_uninit(&made.of.list, lowered.size());
      }
      lowered.MoveTo(made.of.list.data);
      break;
    }
    case kValtypeRecord: {
      if (!value.IsObject() || value.IsArray()) Refuse(env, where, "an object (" + ComponentTypeText(api, type) + ")");
      Napi::Object object = value.As<Napi::Object>();
      std::vector<std::string> names;
      Lowered lowered(api);
      for (size_t i = 0; i < api.wasmtime_component_record_type_field_count(type.of.record); i++) {
        const char* name = nullptr;
        size_t length = 0;
        ComponentType field(api);
        api.wasmtime_component_record_type_field_nth(type.of.record, i, &name, &length, field.Out());
        names.push_back(Text(name, length));
        if (!object.Has(names.back())) Refuse(env, where, "a field \"" + names.back() + "\"");
        lowered.Add(env, *field, object.Get(names.back()), where + "." + names.back());
      }
      made.kind = kValRecord;
      api.wasmtime_component_valrecord_new_uninit(&made.of.record, names.size());
      std::vector<wasmtime_component_val_t> values(names.size());
      lowered.MoveTo(values.data());
      for (size_t i = 0; i < names.size(); i++) {
        made.of.record.data[i].name = NameOf(api, names[i]);
        made.of.record.data[i].val = values[i];
      }
      break;
    }
    case kValtypeEnum: {
      std::vector<std::string> names = EnumNames(api, type.of.enumeration);
      std::string name = value.IsString() ? value.As<Napi::String>().Utf8Value() : std::string();
      if (!Contains(names, name)) Refuse(env, where, "one of " + Joined(names));
      made.kind = kValEnum;
      made.of.enumeration = NameOf(api, name);
      break;
    }
    case kValtypeFlags: {
      std::vector<std::string> names = FlagNames(api, type.of.flags);
      if (!value.IsArray()) Refuse(env, where, "an array of flag names (" + Joined(names) + ")");
      Napi::Array items = value.As<Napi::Array>();
      std::vector<std::string> set;
      for (uint32_t i = 0; i < items.Length(); i++) {
        std::string name = items.Get(i).IsString() ? items.Get(i).As<Napi::String>().Utf8Value() : std::string();
        if (!Contains(names, name)) Refuse(env, where + "[" + std::to_string(i) + "]", "one of " + Joined(names));
        set.push_back(name);
      }
      made.kind = kValFlags;
      api.wasmtime_component_valflags_new_uninit(&made.of.flags, set.size());
      for (size_t i = 0; i < set.size(); i++) made.of.flags.data[i] = NameOf(api, set[i]);
      break;
    }
    case kValtypeOption: {
      made.kind = kValOption;
      if (value.IsNull() || value.IsUndefined()) break;  // none
      ComponentType inner(api);
      api.wasmtime_component_option_type_ty(type.of.option, inner.Out());
      made.of.option = Payload(env, api, *inner, value, where);
      break;
    }
    case kValtypeResult: {
      Napi::Object object = value.IsObject() ? value.As<Napi::Object>() : Napi::Object();
      bool ok = !object.IsEmpty() && object.Has("ok");
      if (object.IsEmpty() || ok == object.Has("err")) Refuse(env, where, "{ \"ok\": … } or { \"err\": … }");
      ComponentType payload(api);
      bool hasPayload = ok ? api.wasmtime_component_result_type_ok(type.of.result, payload.Out())
                           : api.wasmtime_component_result_type_err(type.of.result, payload.Out());
      made.kind = kValResult;
      made.of.result.is_ok = ok;
      if (hasPayload) made.of.result.val = Payload(env, api, *payload, object.Get(ok ? "ok" : "err"), where);
      break;
    }
    case kValtypeVariant: {
      Napi::Object object = value.IsObject() ? value.As<Napi::Object>() : Napi::Object();
      std::string tag =
          !object.IsEmpty() && object.Get("tag").IsString() ? object.Get("tag").As<Napi::String>().Utf8Value() : "";
      std::vector<std::string> cases;
      for (size_t i = 0; i < api.wasmtime_component_variant_type_case_count(type.of.variant); i++) {
        const char* name = nullptr;
        size_t length = 0;
        bool hasPayload = false;
        ComponentType payload(api);
        api.wasmtime_component_variant_type_case_nth(type.of.variant, i, &name, &length, &hasPayload, payload.Out());
        cases.push_back(Text(name, length));
        if (cases.back() != tag) continue;
        made.kind = kValVariant;
        if (hasPayload) made.of.variant.val = Payload(env, api, *payload, object.Get("value"), where + "." + tag);
        made.of.variant.discriminant = NameOf(api, tag);
        out = made;
        return;
      }
      Refuse(env, where, "{ \"tag\": one of " + Joined(cases) + ", \"value\"?: … }");
    }
    default:
      throw Napi::TypeError::New(env,
                                 where + " is a " + ComponentTypeText(api, type) + ", which cannot be given as JSON");
  }
  out = made;
}

Napi::Value ComponentValueToJs(Napi::Env env, const wasmtime_component_val_t& value) {
  switch (value.kind) {
    case kValBool:
      return Napi::Boolean::New(env, value.of.boolean);
    case kValS8:
      return Napi::Number::New(env, value.of.s8);
    case kValU8:
      return Napi::Number::New(env, value.of.u8);
    case kValS16:
      return Napi::Number::New(env, value.of.s16);
    case kValU16:
      return Napi::Number::New(env, value.of.u16);
    case kValS32:
      return Napi::Number::New(env, value.of.s32);
    case kValU32:
      return Napi::Number::New(env, value.of.u32);
    case kValS64:
      return Napi::BigInt::New(env, value.of.s64);
    case kValU64:
      return Napi::BigInt::New(env, value.of.u64);
    case kValF32:
      return Napi::Number::New(env, value.of.f32);
    case kValF64:
      return Napi::Number::New(env, value.of.f64);
    case kValChar: {
      uint32_t c = value.of.character;
      std::u16string units = c < 0x10000 ? std::u16string(1, static_cast<char16_t>(c))
                                         : std::u16string{static_cast<char16_t>(0xD800 + ((c - 0x10000) >> 10)),
                                                          static_cast<char16_t>(0xDC00 + ((c - 0x10000) & 0x3FF))};
      return Napi::String::New(env, units);
    }
    case kValString:
      return Napi::String::New(env, value.of.string.data ? value.of.string.data : "", value.of.string.size);
    case kValList:
    case kValTuple: {
      Napi::Array items = Napi::Array::New(env, value.of.list.size);
      for (size_t i = 0; i < value.of.list.size; i++) {
        items.Set(static_cast<uint32_t>(i), ComponentValueToJs(env, value.of.list.data[i]));
      }
      return items;
    }
    case kValRecord: {
      Napi::Object object = Napi::Object::New(env);
      for (size_t i = 0; i < value.of.record.size; i++) {
        object.Set(Text(value.of.record.data[i].name), ComponentValueToJs(env, value.of.record.data[i].val));
      }
      return object;
    }
    case kValVariant: {
      Napi::Object object = Napi::Object::New(env);
      object.Set("tag", Text(value.of.variant.discriminant));
      if (value.of.variant.val) object.Set("value", ComponentValueToJs(env, *value.of.variant.val));
      return object;
    }
    case kValEnum:
      return Napi::String::New(env, Text(value.of.enumeration));
    case kValOption:
      return value.of.option ? ComponentValueToJs(env, *value.of.option) : env.Null();
    case kValResult: {
      Napi::Object object = Napi::Object::New(env);
      object.Set(value.of.result.is_ok ? "ok" : "err",
                 value.of.result.val ? ComponentValueToJs(env, *value.of.result.val) : env.Null());
      return object;
    }
    case kValFlags: {
      Napi::Array names = Napi::Array::New(env, value.of.flags.size);
      for (size_t i = 0; i < value.of.flags.size; i++) {
        names.Set(static_cast<uint32_t>(i), Text(value.of.flags.data[i]));
      }
      return names;
    }
    default:
      // A resource handle: nothing a JSON reader could use, said in words.
      return Napi::String::New(env, "(a resource handle)");
  }
}

}  // namespace wasm_cow
