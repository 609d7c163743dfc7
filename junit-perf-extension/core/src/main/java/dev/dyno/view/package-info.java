/**
 * What a report shows, as data: {@link dev.dyno.view.Chart charts}, {@link dev.dyno.view.Attachment
 * attachments} and {@link dev.dyno.view.Step steps} with real times. Capabilities and tests add
 * them to the recorder; reporters (the console, the results file, Allure) render them. This package
 * depends on nothing else of Dyno's.
 */
package dev.dyno.view;
