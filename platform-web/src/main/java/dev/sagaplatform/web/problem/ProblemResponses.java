package dev.sagaplatform.web.problem;

import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.http.MediaType;
import tools.jackson.databind.json.JsonMapper;

/** Problem details for answers given outside Spring MVC: servlet filters and security entry points. */
public final class ProblemResponses {

    private ProblemResponses() {
    }

    public static void write(HttpServletResponse response, JsonMapper json, ProblemType type, String detail, String instance,
                             Map<String, ?> properties) throws IOException {
        Map<String, Object> problem = new LinkedHashMap<>();
        problem.put("type", type.type().toString());
        problem.put("title", type.title());
        problem.put("status", type.status().value());
        problem.put("detail", detail);
        problem.put("instance", instance);
        problem.putAll(properties);
        response.setStatus(type.status().value());
        response.setContentType(MediaType.APPLICATION_PROBLEM_JSON_VALUE);
        response.getOutputStream().write(json.writeValueAsBytes(problem));
    }

    public static void write(HttpServletResponse response, JsonMapper json, ProblemType type, String detail, String instance)
            throws IOException {
        write(response, json, type, detail, instance, Map.of());
    }
}
