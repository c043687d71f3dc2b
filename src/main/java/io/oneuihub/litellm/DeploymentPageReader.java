package io.oneuihub.litellm;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.core.exc.StreamReadException;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.ObjectReader;

/**
 * Reads one {@code /v2/model/info} (or {@code /model/info}) body straight from its bytes, in one pass: no tree of
 * the whole page, no second pass converting it into records, no third one turning {@code litellm_params} into
 * maps. A sync reads tens of such pages of hundreds of kilobytes each, and the three passes had made decoding
 * cost several times the parsing itself.
 *
 * <p>It takes the shapes LiteLLM sends (a page object, a bare list, {@code data} as a single object,
 * {@code model_info} and {@code litellm_params} as objects or as strings holding JSON) and answers exactly what the
 * tree decoding ({@link WireDecoder#deploymentPage}) answers for them. For anything else it answers null, and the
 * caller decodes the page as a tree, which decides what an odd shape means; so the two never disagree.
 * Malformed or truncated JSON fails with the parser's {@link StreamReadException}.
 */
final class DeploymentPageReader {

    // reads one value in the middle of the page: what follows it is the page's, not trailing garbage
    private static final ObjectReader MODEL_INFO = WireJson.MAPPER.readerFor(Wire.ModelInfo.class)
            .without(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

    /** Thrown inside the reader when the body leaves the shapes it reads; never escapes. */
    private static final class OtherShape extends RuntimeException {
        OtherShape() {
            super(null, null, false, false);
        }
    }

    private static final OtherShape OTHER_SHAPE = new OtherShape();

    private DeploymentPageReader() {
    }

    /** The page, or null when its shape is one for the tree decoding to judge. */
    static DeploymentPage read(byte[] body, int requestedPage) {
        try (JsonParser p = WireJson.MAPPER.createParser(body)) {
            JsonToken first = p.nextToken();
            DeploymentPage page;
            if (first == JsonToken.VALUE_NULL) {
                page = new DeploymentPage(requestedPage, null, null, List.of());
            } else if (first == JsonToken.START_ARRAY) {
                page = new DeploymentPage(requestedPage, null, null, deploymentList(p));
            } else if (first == JsonToken.START_OBJECT) {
                page = pageObject(p, requestedPage);
            } else {
                return null;
            }
            if (p.nextToken() != null) {
                return null; // trailing content: let the tree decoding judge it
            }
            return page;
        } catch (OtherShape other) {
            return null;
        } catch (StreamReadException malformed) {
            throw malformed;
        } catch (JacksonException | ClassCastException | IllegalArgumentException shape) {
            return null; // a value the records do not take: the tree decoding reports it as it always did
        }
    }

    private static DeploymentPage pageObject(JsonParser p, int requestedPage) {
        List<LiteLlmDeployment> rows = List.of();
        Integer totalCount = null;
        Integer currentPage = null;
        Integer totalPages = null;
        for (String name = p.nextName(); name != null; name = p.nextName()) {
            JsonToken value = p.nextToken();
            switch (name) {
                case "data" -> {
                    if (value == JsonToken.START_ARRAY) {
                        rows = deploymentList(p);
                    } else if (value == JsonToken.START_OBJECT) {
                        rows = single(deploymentObject(p));
                    } else if (value == JsonToken.VALUE_NULL) {
                        rows = List.of();
                    } else {
                        throw OTHER_SHAPE;
                    }
                }
                case "total_count" -> totalCount = lenientInteger(p, value);
                case "current_page" -> currentPage = lenientInteger(p, value);
                case "total_pages" -> totalPages = lenientInteger(p, value);
                default -> p.skipChildren();
            }
        }
        return new DeploymentPage(currentPage == null ? requestedPage : currentPage, totalPages, totalCount, rows);
    }

    private static List<LiteLlmDeployment> single(LiteLlmDeployment row) {
        return row == null ? List.of() : List.of(row);
    }

    private static List<LiteLlmDeployment> deploymentList(JsonParser p) {
        List<LiteLlmDeployment> rows = new ArrayList<>();
        for (JsonToken t = p.nextToken(); t != JsonToken.END_ARRAY; t = p.nextToken()) {
            if (t == JsonToken.VALUE_NULL) {
                continue;
            }
            if (t != JsonToken.START_OBJECT) {
                throw OTHER_SHAPE;
            }
            LiteLlmDeployment row = deploymentObject(p);
            if (row != null) {
                rows.add(row);
            }
        }
        return rows;
    }

    /** At a deployment's START_OBJECT; leaves the parser at its END_OBJECT. */
    private static LiteLlmDeployment deploymentObject(JsonParser p) {
        String modelName = null;
        Wire.ModelInfo info = null;
        Map<String, Object> params = null;
        for (String name = p.nextName(); name != null; name = p.nextName()) {
            JsonToken value = p.nextToken();
            switch (name) {
                case "model_name" -> {
                    if (value == JsonToken.VALUE_STRING) {
                        modelName = p.getString();
                    } else if (value != JsonToken.VALUE_NULL) {
                        throw OTHER_SHAPE;
                    }
                }
                case "model_info" -> info = modelInfo(p, value);
                case "litellm_params" -> params = paramsColumn(p, value);
                default -> p.skipChildren();
            }
        }
        Wire.LitellmParams typed = params == null ? null : litellmParams(params);
        return WireDecoder.deployment(modelName, info, typed, params == null ? Map.of() : params);
    }

    // ---- the two JSON columns: an object, or a string holding one (WireJson.column)

    private static Wire.ModelInfo modelInfo(JsonParser p, JsonToken value) {
        return column(p, value, MODEL_INFO::readValue);
    }

    /** litellm_params as plain maps (numbers exact); the few typed fields are taken from them. */
    private static Map<String, Object> paramsColumn(JsonParser p, JsonToken value) {
        return column(p, value, DeploymentPageReader::object);
    }

    /** At a column's value: its object read by {@code reader}, or null where WireJson.column sees no column. */
    private static <T> T column(JsonParser p, JsonToken value, java.util.function.Function<JsonParser, T> reader) {
        if (value == JsonToken.START_OBJECT) {
            return reader.apply(p);
        }
        if (value == JsonToken.VALUE_NULL) {
            return null;
        }
        if (value != JsonToken.VALUE_STRING) {
            throw OTHER_SHAPE;
        }
        String text = p.getString().trim();
        if (text.startsWith("[")) {
            throw OTHER_SHAPE;
        }
        if (!text.startsWith("{")) {
            return null;
        }
        try (JsonParser inner = WireJson.MAPPER.createParser(text)) {
            if (inner.nextToken() != JsonToken.START_OBJECT) {
                throw OTHER_SHAPE;
            }
            T read = reader.apply(inner);
            if (inner.nextToken() != null) {
                throw OTHER_SHAPE;
            }
            return read;
        } catch (StreamReadException notJson) {
            return null; // a string that is not JSON is no column
        }
    }

    /** As {@link WireJson#plain}: unmodifiable, in order, integers BigInteger, other numbers BigDecimal. */
    private static Map<String, Object> object(JsonParser p) {
        Map<String, Object> map = new LinkedHashMap<>();
        for (String name = p.nextName(); name != null; name = p.nextName()) {
            map.put(name, plain(p, p.nextToken()));
        }
        return Collections.unmodifiableMap(map);
    }

    private static Object plain(JsonParser p, JsonToken t) {
        return switch (t) {
            case START_OBJECT -> object(p);
            case START_ARRAY -> {
                List<Object> list = new ArrayList<>();
                for (JsonToken e = p.nextToken(); e != JsonToken.END_ARRAY; e = p.nextToken()) {
                    list.add(plain(p, e));
                }
                yield Collections.unmodifiableList(list);
            }
            case VALUE_STRING -> p.getString();
            case VALUE_TRUE -> Boolean.TRUE;
            case VALUE_FALSE -> Boolean.FALSE;
            case VALUE_NUMBER_INT -> p.getBigIntegerValue();
            case VALUE_NUMBER_FLOAT -> p.getDecimalValue();
            case VALUE_NULL -> null;
            default -> throw OTHER_SHAPE; // embedded objects and the like: not JSON text
        };
    }

    /** Wire.LitellmParams as the lenient mapper reads it: text fields must be text, numbers may be strings. */
    private static Wire.LitellmParams litellmParams(Map<String, Object> params) {
        BigDecimal rpm = lenientDecimal(params.get("rpm"));
        BigDecimal tpm = lenientDecimal(params.get("tpm"));
        return new Wire.LitellmParams(text(params.get("model")), text(params.get("custom_llm_provider")),
                rpm == null ? null : rpm.longValue(), tpm == null ? null : tpm.longValue(),
                lenientDecimal(params.get("input_cost_per_token")), lenientDecimal(params.get("output_cost_per_token")));
    }

    private static String text(Object value) {
        if (value == null || value instanceof String) {
            return (String) value;
        }
        throw OTHER_SHAPE; // Jackson would coerce a number or refuse an object: the tree decoding decides
    }

    /** WireJson's lenient numbers: numbers and numeric strings count, objects, lists and booleans do not. */
    private static BigDecimal lenientDecimal(Object value) {
        if (value instanceof BigDecimal d) {
            return WireJson.decimal(d.toPlainString());
        }
        if (value instanceof java.math.BigInteger i) {
            return WireJson.decimal(i.toString());
        }
        if (value instanceof String s) {
            return WireJson.decimal(s);
        }
        return null;
    }

    /** WireJson's lenient integers, for the page's counters. */
    private static Integer lenientInteger(JsonParser p, JsonToken value) {
        BigDecimal number = switch (value) {
            case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> WireJson.decimal(p.getDecimalValue().toPlainString());
            case VALUE_STRING -> WireJson.decimal(p.getString());
            case START_OBJECT, START_ARRAY -> {
                p.skipChildren();
                yield null;
            }
            default -> null;
        };
        return number == null ? null : number.intValue();
    }
}
