package dev.dyno.workloads.startup;

import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** {@code GET /greeting?name=…}: {@code {"id":1,"content":"Hello, Dyno!"}}. */
@RestController
public class GreetingController {

    private final GreetingService greetings;

    public GreetingController(GreetingService greetings) {
        this.greetings = greetings;
    }

    @GetMapping("/greeting")
    public GreetingService.Greeting greeting(@RequestParam(defaultValue = "World") String name) {
        return greetings.greet(name);
    }
}
