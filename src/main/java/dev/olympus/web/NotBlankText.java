package dev.olympus.web;

import jakarta.validation.Constraint;
import jakarta.validation.ConstraintValidator;
import jakarta.validation.ConstraintValidatorContext;
import jakarta.validation.Payload;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * A required text (API.md bounds it to 1..N characters): present and not {@link StrictStrings#blank blank}.
 * Put it on every such field of a request (titles, comment bodies, reasons, and later cancel reasons, questions,
 * answers), so that a text made only of whitespace is a 400 {@code validation-failed} naming the field, on REST and
 * MCP alike. Combine it with {@code @Size(max = N)} for the upper bound and with
 * {@code @Schema(required = true, minLength = 1)} for the OpenAPI document, which does not read this annotation.
 * (Jakarta's {@code @NotBlank} trims another set of characters than the database's {@code has_text}, V14.)
 */
@Documented
@Constraint(validatedBy = NotBlankText.Validator.class)
@Target({ElementType.FIELD, ElementType.PARAMETER, ElementType.RECORD_COMPONENT, ElementType.TYPE_USE, ElementType.METHOD})
@Retention(RetentionPolicy.RUNTIME)
public @interface NotBlankText {

    String message() default StrictStrings.BLANK_MESSAGE;

    Class<?>[] groups() default {};

    Class<? extends Payload>[] payload() default {};

    final class Validator implements ConstraintValidator<NotBlankText, CharSequence> {
        @Override
        public boolean isValid(CharSequence value, ConstraintValidatorContext context) {
            return value != null && !StrictStrings.blank(value.toString());
        }
    }
}
