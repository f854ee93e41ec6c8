package dev.sagaplatform.console.web;

import dev.sagaplatform.web.problem.PlatformProblemHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;

/** Every failure as a problem of platform-web's catalogue or {@link ConsoleProblems}. */
@RestControllerAdvice
class ConsoleProblemHandler extends PlatformProblemHandler {
}
